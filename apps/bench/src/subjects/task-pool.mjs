/**
 * What the omc subjects share: a `TaskPool` driven through the guide's API (`createTask`, `createTasks`,
 * `claimTask`, `updateTask`, `getStats`), and the set-up helper `finishAllPending`, which flips pending rows to
 * completed through the pool's raw better-sqlite3 handle (`pool['db']`), as the guide's raw-SQL examples do.
 * The current pool (`omc.mjs`) and the pool from before leases (`omc-before-leases.mjs`) run this same code,
 * so the two are measured alike. This module imports no omc package itself.
 *
 * @module
 */

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
