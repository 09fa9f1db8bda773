/**
 * omc: `TaskPool` from `@omc/store-sqlite`, through its public API only, except for the set-up helper
 * `finishAllPending`, which flips pending rows to completed through the pool's raw better-sqlite3 handle
 * (`pool['db']`), as the guide's raw-SQL examples do.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { TaskPool, TaskStatus } from '@omc/store-sqlite';

/** Rows flipped per statement by `finishAllPending`, so the WAL can checkpoint between chunks. */
const FINISH_CHUNK = 50_000;

/**
 * @param {string} path
 * @returns {import('../subject.mjs').BenchDb}
 */
function open(path) {
  const pool = path === ':memory:' ? new TaskPool() : new TaskPool(path);
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
 * The pool's better-sqlite3 handle, the way the guide reaches it (`taskPool['db']`).
 *
 * @param {TaskPool} pool
 * @returns {import('better-sqlite3').Database}
 */
function rawHandle(pool) {
  // biome-ignore lint/complexity/useLiteralKeys: the guide's documented way to reach the handle
  return pool['db'];
}

/** @type {import('../subject.mjs').Subject} */
export const omc = {
  name: 'omc',
  description: 'TaskPool from @omc/store-sqlite (createTask, createTasks, claimTask, updateTask)',
  hasStart: true,
  open,
  versions() {
    const pool = new TaskPool();
    const sqlite = /** @type {{ v: string }} */ (rawHandle(pool).prepare('select sqlite_version() v').get()).v;
    pool.close();
    const storeRequire = createRequire(import.meta.resolve('@omc/store-sqlite'));
    return {
      '@omc/store-sqlite': storeRequire('@omc/store-sqlite/package.json').version,
      'better-sqlite3': storeRequire('better-sqlite3/package.json').version,
      sqlite,
    };
  },
};
