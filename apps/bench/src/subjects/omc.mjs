/**
 * omc: `TaskPool` from `@omc/store-sqlite`, through its public API only (the guide path of `task-pool.mjs`),
 * plus its lease calls: `completeTask(task, result)`, the fenced completion, and `heartbeat(task)`.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { TaskPool, TaskStatus } from '@omc/store-sqlite';
import { leasedPoolDb, sqliteVersion } from './task-pool.mjs';

/**
 * @param {string} path
 * @returns {TaskPool}
 */
function openPool(path) {
  return path === ':memory:' ? new TaskPool() : new TaskPool(path);
}

/** @type {import('../subject.mjs').Subject} */
export const omc = {
  name: 'omc',
  description:
    'TaskPool from @omc/store-sqlite (createTask, createTasks, claimTask, updateTask; completeTask, heartbeat)',
  hasStart: true,
  hasLeases: true,
  open: (path) => leasedPoolDb(openPool(path), TaskStatus),
  openPool,
  versions() {
    const pool = new TaskPool();
    const sqlite = sqliteVersion(pool);
    pool.close();
    const storeRequire = createRequire(import.meta.resolve('@omc/store-sqlite'));
    return {
      '@omc/store-sqlite': storeRequire('@omc/store-sqlite/package.json').version,
      'better-sqlite3': storeRequire('better-sqlite3/package.json').version,
      sqlite,
    };
  },
};
