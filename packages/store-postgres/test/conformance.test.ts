/**
 * The shared TaskStore conformance suite against real PostgreSQL: every test gets a pool on a fresh
 * schema of its own (dropped afterwards), so test files run in parallel. The backdoor reads the `tasks`
 * row with raw SQL, so the suite checks what was stored, not only what came back.
 */
import type { TaskStatus, TaskStore } from '@omc/core';
import { type ConformanceBackdoor, runTaskStoreConformance } from '@omc/store-conformance';
import type pg from 'pg';
import { PostgresTaskPool } from '../src/index.js';
import { freshSchema, PG_URL, requirePostgres } from './helpers.js';

await requirePostgres();

interface StoredRow {
  status: TaskStatus;
  attempts: number;
  lease_token: number;
  lease_expires_at: number | null;
  assigned_agent: string | null;
  result: string | null;
  error: string | null;
  run_at: number | null;
  metadata: string | null;
}

/** What the pool wrote to its `tasks` table, read with raw SQL through its `pg.Pool` (`pool['db']`). */
function backdoor(store: TaskStore): ConformanceBackdoor {
  const pool = store as PostgresTaskPool;
  // biome-ignore lint/complexity/useLiteralKeys: the private handle, as the guide reaches SQLite's pool['db']
  const db: pg.Pool = pool['db'];
  return {
    async readStored(id) {
      const { rows } = await db.query<StoredRow>(
        `select status, attempts, lease_token, lease_expires_at, assigned_agent, result, error, run_at, metadata
           from "${pool.schema}".tasks where id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        status: row.status,
        attempts: row.attempts,
        leaseToken: Number(row.lease_token),
        leaseExpiresAt: row.lease_expires_at === null ? null : Number(row.lease_expires_at),
        assignedAgent: row.assigned_agent,
        result: row.result,
        error: row.error,
        runAt: row.run_at === null ? null : Number(row.run_at),
        metadata: row.metadata === null ? null : JSON.parse(row.metadata),
      };
    },
  };
}

runTaskStoreConformance({
  name: 'PostgresTaskPool',
  backdoor,
  createStore: (options) => PostgresTaskPool.open(PG_URL, { ...options, schema: freshSchema(), poolSize: 4 }),
});
