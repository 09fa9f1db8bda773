/**
 * Options and the URL are checked before anything connects: a bad one is an `InvalidInputError` naming
 * it, thrown by the constructor. A good pool's connections carry the configured statement timeout.
 */

import { inspect } from 'node:util';
import { InvalidInputError } from '@omc/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresTaskPool, type PostgresTaskPoolOptions } from '../src/index.js';
import { adminQuery, freshSchema, PG_URL, requirePostgres } from './helpers.js';

await requirePostgres();

/** Nothing listens here: a pool that tried to connect would fail, not hang. */
const NOWHERE = 'postgres://postgres@127.0.0.1:1/nowhere';

function refused(url: string | undefined, options: unknown): InvalidInputError {
  let caught: unknown;
  try {
    new PostgresTaskPool(url, options as PostgresTaskPoolOptions);
  } catch (error) {
    caught = error;
  }
  expect(InvalidInputError.isInstance(caught), `expected InvalidInputError, got ${String(caught)}`).toBe(true);
  return caught as InvalidInputError;
}

describe('PostgresTaskPool options', () => {
  it.each([
    ['schema', { schema: 'two words' }],
    ['schema', { schema: 'robert"; drop table tasks; --' }],
    ['schema', { schema: 'x'.repeat(64) }],
    ['schema', { schema: '9lives' }],
    ['schema', { schema: 7 }],
    ['poolSize', { poolSize: 0 }],
    ['poolSize', { poolSize: 2.5 }],
    ['poolSize', { poolSize: '10' }],
    ['connectTimeoutMs', { connectTimeoutMs: 0 }],
    ['statementTimeoutMs', { statementTimeoutMs: -1 }],
    ['changePollMs', { changePollMs: 0 }],
    ['listenUrl', { listenUrl: 'http://example.com' }],
    ['pool', { pool: {} }],
    ['maxMetadataBytes', { maxMetadataBytes: 0 }],
    ['clock', { clock: Date }],
    ['leaseMs', { leaseMs: -5 }],
  ])('refuses a bad %s before connecting: %j', (field, options) => {
    expect(refused(NOWHERE, options).field).toBe(field);
  });

  it.each([
    ['a MySQL URL', 'mysql://root@localhost/app'],
    ['a path', './tasks.db'],
    ['nothing', undefined],
    ['a number', 5432],
  ])('refuses %s as the URL', (_, url) => {
    expect(refused(url as string | undefined, undefined).field).toBe('url');
  });

  it.each([
    ['url', 'mysql://admin:hunter2@db.internal/app', undefined],
    ['url', 'postgres://admin:hunter2@db internal/app', undefined],
    ['listenUrl', NOWHERE, { listenUrl: 'redis://admin:hunter2@cache/0' }],
  ])('never puts a password from a refused %s in its message', (field, url, options) => {
    const error = refused(url, options);
    expect(error.field).toBe(field);
    expect(error.message).toContain('admin:***@');
    // Nor anywhere a logger would print it from, its cause included.
    expect(inspect(error, { depth: 5 })).not.toContain('hunter2');
  });

  it('refuses a URL and a pool together', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL });
    expect(refused(PG_URL, { pool }).field).toBe('url');
    await pool.end();
  });

  it('constructs without connecting: an unreachable URL fails only at the first call', async () => {
    const pool = new PostgresTaskPool(NOWHERE, { connectTimeoutMs: 5_000 });
    await expect(pool.getStats()).rejects.toMatchObject({ code: 'OMC_STORAGE' });
    await pool.close();
  });

  it('sets statement_timeout on its connections, and names them omc', async () => {
    const pool = await PostgresTaskPool.open(PG_URL, { schema: freshSchema(), statementTimeoutMs: 1234 });
    // biome-ignore lint/complexity/useLiteralKeys: the private pg.Pool, as the tests reach it
    const db: pg.Pool = pool['db'];
    const { rows } = await db.query<{ timeout: string; name: string }>(
      "select current_setting('statement_timeout') as timeout, current_setting('application_name') as name",
    );
    expect(rows[0]).toEqual({ timeout: '1234ms', name: 'omc' });
    await pool.close();
  });

  it('runs on a pg.Pool of the caller, and leaves it open on close', async () => {
    const schema = freshSchema();
    const given = new pg.Pool({ connectionString: PG_URL, max: 2 });
    const pool = await PostgresTaskPool.open(undefined, { pool: given, schema });
    const task = await pool.createTask({ title: 'on a given pool', description: 'd' });
    expect((await pool.claimTask('agent-1'))?.id).toBe(task.id);
    await pool.close();
    // Still usable by its owner; bigints read as strings there (the pool's own parsers are not imposed).
    const rows = await given.query(`select lease_token from "${schema}".tasks`);
    expect(rows.rows).toEqual([{ lease_token: '1' }]);
    await given.end();
  });

  it('keeps pools on different schemas of one database apart', async () => {
    const [a, b] = [freshSchema(), freshSchema()];
    const first = await PostgresTaskPool.open(PG_URL, { schema: a });
    const second = await PostgresTaskPool.open(PG_URL, { schema: b });
    await first.createTask({ title: 'in a', description: 'd' });
    expect((await second.getStats()).total).toBe(0);
    expect(await second.claimTask('agent-1')).toBeNull();
    expect((await first.getStats()).total).toBe(1);
    await first.close();
    await second.close();
    expect(await adminQuery(`select count(*)::int as n from "${a}".tasks`)).toEqual([{ n: 1 }]);
  });
});
