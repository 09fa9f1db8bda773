/**
 * omc before leases: `TaskPool` as it was at commit 4569b53, the last commit before the lease work, from a
 * bundle of `@omc/store-sqlite` with `@omc/core` built in (`baseline/omc-pre-leases.mjs`; see the README beside
 * it). Driven through the same guide path as the current pool (`task-pool.mjs`), on the same better-sqlite3.
 * It is the yardstick for "leases must not cost the hot path": the bench measures it on the claim→complete
 * cycle only, in the same rounds as the current pool, and shows it in the omc column of its own row.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { TaskPool, TaskStatus } from './baseline/omc-pre-leases.mjs';
import { guidePathDb, packageVersion, sqliteVersion } from './task-pool.mjs';

const require = createRequire(import.meta.url);

/** The commit the baseline was built from. */
export const BASELINE_COMMIT = '4569b53';

/**
 * @param {string} path
 * @returns {import('../subject.mjs').BenchDb}
 */
function open(path) {
  return guidePathDb(path === ':memory:' ? new TaskPool() : new TaskPool(path), TaskStatus);
}

/** @type {import('../subject.mjs').Subject} */
export const omcBeforeLeases = {
  name: 'omc-before-leases',
  description: `TaskPool from @omc/store-sqlite at ${BASELINE_COMMIT}, before leases (claimTask, updateTask)`,
  hasStart: true,
  hasLeases: false,
  open,
  versions() {
    const pool = new TaskPool();
    const sqlite = sqliteVersion(pool);
    pool.close();
    return {
      '@omc/store-sqlite': `${BASELINE_COMMIT} (src/subjects/baseline/omc-pre-leases.mjs)`,
      'better-sqlite3': require('better-sqlite3/package.json').version,
      kysely: packageVersion('kysely'),
      sqlite,
    };
  },
};
