/**
 * The small interface every benchmarked subject implements. This file holds types only.
 *
 * @module
 */

/**
 * One task to create. Every subject gets the same inputs.
 *
 * @typedef {object} TaskInput
 * @property {string} title
 * @property {string} description
 * @property {0 | 1 | 2 | 3} priority Low to critical.
 * @property {Record<string, unknown>} [metadata]
 */

/**
 * An open database of one subject.
 *
 * @typedef {object} BenchDb
 * @property {(input: TaskInput) => void} createOne Create one task (its own transaction).
 * @property {(inputs: TaskInput[]) => void} createBatch Create many tasks in one transaction.
 * @property {(agent: string) => { id: string | number } | null} claim Claim the next task, or `null` when none is pending.
 * @property {(id: string | number) => void} start Mark a claimed task in progress (a no-op where the subject has no such state).
 * @property {(id: string | number, result: string) => void} complete Mark a task completed.
 * @property {(claimed: { id: string | number }, result: string) => void} [completeFenced] Complete a task through
 *   the lease of its claim (omc `completeTask(task, result)`: a claimed task is its own lease, and the write is
 *   fenced by its token). Only on subjects with leases.
 * @property {(claimed: { id: string | number }) => void} [heartbeat] Renew the lease of a claimed task (omc
 *   `heartbeat(task)`). Only on subjects with leases.
 * @property {() => number} countPending Number of pending tasks.
 * @property {() => Record<string, number> | null} stats The subject's "counts by status" call (omc `getStats()`),
 *   keyed by status name with at least `pending`; `null` where the subject has no such call.
 * @property {() => void} finishAllPending Set-up helper, not measured: mark every pending task completed through the raw handle.
 * @property {() => void} close Close the database.
 */

/**
 * A benchmarked implementation.
 *
 * @typedef {object} Subject
 * @property {string} name Column name in the table.
 * @property {string} description One line for the notes.
 * @property {boolean} hasStart Whether `start` does real work.
 * @property {boolean} hasLeases Whether its databases have `completeFenced` and `heartbeat`.
 * @property {(path: string) => BenchDb} open Open a file database, or an in-memory one for `':memory:'`.
 * @property {(path: string) => import('@omc/core').TaskStore & { createTasks(inputs: TaskInput[]): unknown, getStats(): { completed: number }, close(): void }} [openPool]
 *   Open the subject's `TaskPool` itself, for the workloads that drive it through another package (the swarm).
 *   Only on `TaskPool` subjects.
 * @property {() => Record<string, string>} versions Versions worth printing (library, SQLite).
 */

export {};
