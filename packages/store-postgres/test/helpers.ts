import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';

/** The PostgreSQL the tests run against. */
export const PG_URL = process.env.OMC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Fail (never skip) when PostgreSQL is unreachable: the suite's promise is about real PostgreSQL.
 * Call at the top of a test file with `await`.
 */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${PG_URL} (${(error as Error).message}). These tests need a running PostgreSQL: start one, or set OMC_PG_URL.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name, dropped (with everything in it) after the file's tests. */
export function freshSchema(): string {
  const name = `omc_test_${randomBytes(6).toString('hex')}`;
  schemas.push(name);
  return name;
}

const schemas: string[] = [];

/** Schemas dropped per statement: each holds a few dozen objects, and every one takes a lock. */
const DROP_BATCH = 40;

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    while (schemas.length > 0) {
      const batch = schemas.splice(0, DROP_BATCH).map((schema) => `"${schema}"`);
      await client.query(`drop schema if exists ${batch.join(', ')} cascade`);
    }
  } finally {
    await client.end();
  }
}, 300_000);

/** Run SQL on a connection of its own. */
export async function adminQuery<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
