/**
 * omc before the seam: `TaskPool` as it was at commit 4fd8f56, main before issue 11 split the pool into one
 * shared implementation over a narrow driver, from a bundle of `@omc/store-sqlite` with `@omc/core` built in
 * (`baseline/omc-pre-seam.mjs`; see the README beside it). Driven exactly like the current pool (the guide path
 * and the lease calls of `task-pool.mjs`), on the same better-sqlite3 and kysely, in every workload that measures
 * the current pool, in the same rounds: its column is `seam-base`, and `omc/seam-base` is the "no row
 * more than 5 % slower".
 *
 * @module
 */
import { createRequire } from 'node:module';
import { TaskPool, TaskStatus } from './baseline/omc-pre-seam.mjs';
import { leasedPoolDb, packageVersion, sqliteVersion } from './task-pool.mjs';

const require = createRequire(import.meta.url);

/** The commit the baseline was built from. */
export const SEAM_BASE_COMMIT = '4fd8f56';

/**
 * @param {string} path
 * @returns {TaskPool}
 */
function openPool(path) {
  return path === ':memory:' ? new TaskPool() : new TaskPool(path);
}

/** @type {import('../subject.mjs').Subject} */
export const seamBase = {
  name: 'seam-base',
  description: `TaskPool from @omc/store-sqlite at ${SEAM_BASE_COMMIT}, before the seam of issue 11 (the same calls as omc)`,
  hasStart: true,
  hasLeases: true,
  open: (path) => leasedPoolDb(openPool(path), TaskStatus),
  openPool,
  versions() {
    const pool = new TaskPool();
    const sqlite = sqliteVersion(pool);
    pool.close();
    return {
      '@omc/store-sqlite': `${SEAM_BASE_COMMIT} (src/subjects/baseline/omc-pre-seam.mjs)`,
      'better-sqlite3': require('better-sqlite3/package.json').version,
      kysely: packageVersion('kysely'),
      sqlite,
    };
  },
};
