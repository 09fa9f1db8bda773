/**
 * The shared TaskStore conformance suite, against the SQLite pool: in memory, on a new file, and on a
 * file that an earlier pool created and closed (so every test also runs on a reopened database). The
 * backdoor reads the `tasks` row with raw SQL, so the suite checks what was stored, not only what came back.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskStatus, TaskStore } from '@omc/core';
import { type ConformanceBackdoor, runTaskStoreConformance } from '@omc/store-conformance';
import type Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { TaskPool } from '../src/index.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A path in a fresh temp dir, removed after the file's tests. */
function freshPath(): string {
  const dir = tempDir('omc-conformance-');
  dirs.push(dir);
  return join(dir, 'tasks.db');
}

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

/** What the pool wrote to its `tasks` table, read with raw SQL through the guide's `pool['db']`. */
function backdoor(store: TaskStore): ConformanceBackdoor {
  // biome-ignore lint/complexity/useLiteralKeys: the guide reaches the private handle as taskPool['db']
  const db: Database.Database = (store as TaskPool)['db'];
  const select = db.prepare<[string], StoredRow>(
    `select status, attempts, lease_token, lease_expires_at, assigned_agent, result, error, run_at, metadata
       from tasks where id = ?`,
  );
  return {
    readStored(id) {
      const row = select.get(id);
      if (!row) return null;
      return {
        status: row.status,
        attempts: row.attempts,
        leaseToken: row.lease_token,
        leaseExpiresAt: row.lease_expires_at,
        assignedAgent: row.assigned_agent,
        result: row.result,
        error: row.error,
        runAt: row.run_at,
        metadata: row.metadata === null ? null : JSON.parse(row.metadata),
      };
    },
  };
}

runTaskStoreConformance({
  name: 'TaskPool (:memory:)',
  backdoor,
  createStore: (options) => new TaskPool(':memory:', options),
});

runTaskStoreConformance({
  name: 'TaskPool (new file)',
  backdoor,
  createStore: (options) => new TaskPool(freshPath(), options),
});

runTaskStoreConformance({
  name: 'TaskPool (reopened file)',
  backdoor,
  createStore: (options) => {
    const path = freshPath();
    new TaskPool(path).close();
    return new TaskPool(path, options);
  },
});
