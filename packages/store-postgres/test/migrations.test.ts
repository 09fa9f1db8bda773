/**
 * Migrations: bundled in code, versioned in `omc_schema_version`, applied under an advisory lock so
 * several processes migrating one fresh schema at the same instant all succeed; a schema from a newer
 * omc, or one holding other tables, is refused with a typed error and left untouched.
 */
import { OmcError } from '@omc/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PostgresTaskPool, SCHEMA_VERSION } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';
import { assertBuiltPackageIsFresh, forkFixture } from './child-processes.js';
import { adminQuery, freshSchema, PG_URL, requirePostgres } from './helpers.js';

await requirePostgres();

async function expectCode(promise: Promise<unknown>, code: string): Promise<OmcError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(OmcError.isInstance(error), `expected an omc error, got ${String(error)}`).toBe(true);
  expect((error as OmcError).code).toBe(code);
  return error as OmcError;
}

async function versions(schema: string): Promise<number[]> {
  const rows = await adminQuery<{ version: number }>(`select version from "${schema}".omc_schema_version order by 1`);
  return rows.map((row) => row.version);
}

/** Every version a fresh schema records, oldest first. */
const ALL_VERSIONS = MIGRATIONS.map((migration) => migration.version);

describe('migrations', () => {
  it('create every table and record each version once', async () => {
    const schema = freshSchema();
    const pool = await PostgresTaskPool.open(PG_URL, { schema });
    await pool.close();
    expect(await versions(schema)).toEqual(ALL_VERSIONS);
    const tables = await adminQuery<{ tablename: string }>(
      'select tablename from pg_tables where schemaname = $1 order by 1',
      [schema],
    );
    expect(tables.map((row) => row.tablename)).toEqual([
      'omc_schema_version',
      'task_counts',
      'task_dependencies',
      'task_history',
      'tasks',
    ]);
    // Opening again changes nothing.
    await (await PostgresTaskPool.open(PG_URL, { schema })).close();
    expect(await versions(schema)).toEqual(ALL_VERSIONS);
  });

  it('run lazily on the first call of a pool made with the constructor', async () => {
    const schema = freshSchema();
    const pool = new PostgresTaskPool(PG_URL, { schema });
    expect(await adminQuery('select 1 from pg_namespace where nspname = $1', [schema])).toEqual([]);
    expect((await pool.getStats()).total).toBe(0);
    await pool.close();
    expect(await versions(schema)).toEqual(ALL_VERSIONS);
  });

  it('refuse a schema from a newer omc, typed, and leave it untouched', async () => {
    const schema = freshSchema();
    await (await PostgresTaskPool.open(PG_URL, { schema })).close();
    await adminQuery(`insert into "${schema}".omc_schema_version (version, name) values ($1, 'from the future')`, [
      SCHEMA_VERSION + 1,
    ]);
    const error = await expectCode(PostgresTaskPool.open(PG_URL, { schema }), 'OMC_SCHEMA_TOO_NEW');
    expect(error).toMatchObject({ found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
    expect(error.message).toContain(schema);
    // The lazy path refuses the first call the same way.
    const lazy = new PostgresTaskPool(PG_URL, { schema });
    await expectCode(lazy.getStats(), 'OMC_SCHEMA_TOO_NEW');
    await lazy.close();
    expect(await versions(schema)).toEqual([...ALL_VERSIONS, SCHEMA_VERSION + 1]);
  });

  it('refuse a schema holding tables omc did not create', async () => {
    const schema = freshSchema();
    await adminQuery(`create schema "${schema}"; create table "${schema}".invoices (id int)`);
    const error = await expectCode(PostgresTaskPool.open(PG_URL, { schema }), 'OMC_FOREIGN_DATABASE');
    expect(error.message).toContain(schema);
    const tables = await adminQuery<{ tablename: string }>('select tablename from pg_tables where schemaname = $1', [
      schema,
    ]);
    expect(tables).toEqual([{ tablename: 'invoices' }]);
  });

  it('report an unreachable server at open, typed, naming where it looked', async () => {
    const error = await expectCode(
      PostgresTaskPool.open('postgres://postgres@127.0.0.1:1/nowhere', { connectTimeoutMs: 5_000 }),
      'OMC_STORAGE',
    );
    expect(error.message).toContain('127.0.0.1:1/nowhere');
  });
});

describe('several processes migrating one fresh schema at the same instant', () => {
  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  it('all succeed, the schema is migrated once, and every task is there', async () => {
    const PROCESSES = 4;
    const schema = freshSchema();
    const children = Array.from({ length: PROCESSES }, (_, i) =>
      forkFixture('migrate-at-once.mjs', [PG_URL, schema, `process-${i}`]),
    );
    await Promise.all(children.map((child) => child.ready));
    const startAt = Date.now() + 100;
    for (const child of children) child.process.send({ startAt });
    const results = await Promise.all(children.map((child) => child.result));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect(await versions(schema)).toEqual(ALL_VERSIONS);
    const pool = await PostgresTaskPool.open(PG_URL, { schema });
    const tasks = await pool.getTasks();
    expect(tasks.map((task) => task.title).sort()).toEqual(Array.from({ length: PROCESSES }, (_, i) => `process-${i}`));
    expect((await pool.getStats()).total).toBe(PROCESSES);
    await pool.close();
  });
});
