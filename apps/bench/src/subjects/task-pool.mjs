/**
 * What the omc subjects share: a `TaskPool` driven through the guide's API (`createTask`, `createTasks`,
 * `claimTask`, `updateTask`, `getStats`), and the set-up helper `finishAllPending`, which flips pending rows to
 * completed through the pool's raw better-sqlite3 handle (`pool['db']`), as the guide's raw-SQL examples do.
 * The current pool (`omc.mjs`), the pool from before the seam (`omc-before-seam.mjs`) and the pool from before
 * leases (`omc-before-leases.mjs`) run this same code, so they are measured alike; the first two also share the
 * lease calls (`leasedPoolDb`). This module imports no omc package itself.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Rows flipped per statement by `finishAllPending`, so the WAL can checkpoint between chunks. */
const FINISH_CHUNK = 50_000;

/**
 * The part of `TaskPool` the guide path uses; both versions of the pool have it.
 *
 * @typedef {object} GuidePool
 * @property {(input: import('../subject.mjs').TaskInput) => unknown} createTask
 * @property {(inputs: import('../subject.mjs').TaskInput[]) => unknown} createTasks
 * @property {(agent: string) => { id: string } | null} claimTask
 * @property {(id: string, update: { status: string, result?: string }) => unknown} updateTask
 * @property {() => { pending: number } & Record<string, number>} getStats
 * @property {() => void} close
 */

/**
 * A bench database over `pool`, through the guide's API.
 *
 * @param {GuidePool} pool
 * @param {{ IN_PROGRESS: string, COMPLETED: string }} TaskStatus The statuses of that version of the pool.
 * @returns {import('../subject.mjs').BenchDb}
 */
export function guidePathDb(pool, TaskStatus) {
  return {
    createOne: (input) => pool.createTask(input),
    createBatch: (inputs) => pool.createTasks(inputs),
    claim: (agent) => pool.claimTask(agent),
    start: (id) => pool.updateTask(String(id), { status: TaskStatus.IN_PROGRESS }),
    complete: (id, result) => pool.updateTask(String(id), { status: TaskStatus.COMPLETED, result }),
    countPending: () => pool.getStats().pending,
    stats: () => pool.getStats(),
    finishAllPending() {
      const now = Date.now();
      const finishChunk = rawHandle(pool).prepare(
        `UPDATE tasks SET status = 'completed', result = 'ok', updated_at = ?, completed_at = ?
         WHERE rowid IN (SELECT rowid FROM tasks WHERE status = 'pending' LIMIT ${FINISH_CHUNK})`,
      );
      while (finishChunk.run(now, now).changes > 0) {
        // keep flipping until no pending row is left
      }
    },
    close: () => pool.close(),
  };
}

/**
 * The part of `TaskPool` the lease calls use; the current pool and the pool from before the seam have it.
 *
 * @typedef {GuidePool & {
 *   completeTask: (lease: { id: string }, result: string) => unknown,
 *   heartbeat: (lease: { id: string }) => unknown,
 * }} LeasedPool
 */

/**
 * A bench database over a pool with leases: the guide path, plus `completeTask(task, result)`, the fenced
 * completion, and `heartbeat(task)`. A claimed task is its own lease: its id and the fencing token of the claim.
 *
 * @param {LeasedPool} pool
 * @param {{ IN_PROGRESS: string, COMPLETED: string }} TaskStatus The statuses of that version of the pool.
 * @returns {import('../subject.mjs').BenchDb}
 */
export function leasedPoolDb(pool, TaskStatus) {
  return {
    ...guidePathDb(pool, TaskStatus),
    completeFenced: (task, result) => {
      pool.completeTask(/** @type {{ id: string }} */ (task), result);
    },
    heartbeat: (task) => {
      pool.heartbeat(/** @type {{ id: string }} */ (task));
    },
  };
}

/**
 * The pool's better-sqlite3 handle, the way the guide reaches it (`taskPool['db']`).
 *
 * @param {object} pool
 * @returns {import('better-sqlite3').Database}
 */
export function rawHandle(pool) {
  // biome-ignore lint/complexity/useLiteralKeys: the guide's documented way to reach the handle
  return /** @type {{ db: import('better-sqlite3').Database }} */ (pool)['db'];
}

/**
 * The SQLite version the pool's handle runs.
 *
 * @param {object} pool
 * @returns {string}
 */
export function sqliteVersion(pool) {
  return /** @type {{ v: string }} */ (rawHandle(pool).prepare('select sqlite_version() v').get()).v;
}

/**
 * The version of a package a bundled baseline imports, as resolved from the bench (kysely exports no
 * `./package.json`).
 *
 * @param {string} name
 * @returns {string}
 */
export function packageVersion(name) {
  for (let dir = dirname(fileURLToPath(import.meta.resolve(name))); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (manifest.name === name) return manifest.version;
    } catch {
      // no package.json here: look further up
    }
  }
  return '?';
}
