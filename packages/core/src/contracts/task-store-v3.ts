// The TaskStore contract, version v3: released and frozen. test/task-store-v3-frozen.test.ts fails when
// any declaration below changes; a change is a new version beside this one (see the README).

import type { LeaseLostError } from '../errors.js';
import type { FailureOutcome, ReclaimReport, TaskLease, TaskTransition } from '../lease.js';
import type { CreateTaskInput, Task, TaskFilter, TaskStats, UpdateTaskInput } from '../task.js';

/** A value now, or later. Synchronous stores return plain values; network stores return promises. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The `TaskStore` contract at version v3, released and frozen (`TaskStore` names the current version).
 * What a storage adapter provides: the guide's task-pool methods, one contract for synchronous and
 * asynchronous stores. Generic code always `await`s the results; an adapter narrows the return types
 * (the SQLite pool returns plain values, so the guide's `const task = pool.claimTask('a')` works).
 *
 * `v2` added leases: every claim holds a lease with a fencing token, and the holder's writes
 * (`startTask`, `heartbeat`, `completeTask`, `failTask`, `releaseTask`) are fenced by it.
 * `v3` added what a scheduler needs: batch claims (`claimTasks`), grouped completions
 * (`completeTasks`), capability routing (`requires` on a task, `capabilities` on a claim), dependencies
 * (`dependsOn`, gated by the claim itself) and a change signal (`onChange`).
 *
 * Dependencies, in every store: a task with `dependsOn` stays PENDING and unclaimable until every
 * dependency is COMPLETED. When a dependency ends FAILED or CANCELLED by any path (a final `failTask`, an
 * expired last attempt, `cancelTask`, `updateTask`), or is deleted before completing, each unfinished
 * dependant is CANCELLED in the same write, its `error` naming that dependency
 * (`dependency <id> failed`), and so on down the chain. `retryTask` on the dependency does not revive them.
 *
 * ### Examples
 * ```ts
 * async function drain(store: TaskStoreV3, agent: string) {
 *   for (let task = await store.claimTask(agent); task; task = await store.claimTask(agent)) {
 *     await store.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'done' });
 *   }
 * }
 * ```
 */
export interface TaskStoreV3 {
  /** Which version of this contract the store implements. */
  readonly specificationVersion: 'v3';

  /** Add a PENDING task. Invalid input throws `InvalidInputError` and inserts nothing. */
  createTask(input: CreateTaskInput): MaybePromise<Task>;

  /** Add many PENDING tasks in one transaction: all are inserted, or (on any invalid input) none. */
  createTasks(inputs: readonly CreateTaskInput[]): MaybePromise<Task[]>;

  /**
   * Atomically take the next claimable task (PENDING and due; highest priority, then oldest, then first
   * created) for an agent: it becomes CLAIMED with `assignedAgent` and `startedAt` set, a new attempt, a
   * new `leaseToken` and a lease until `leaseExpiresAt`. Tasks whose lease expired are reclaimed first.
   * `null` when nothing is claimable.
   */
  claimTask(agentName: string, options?: ClaimOptions): MaybePromise<Task | null>;

  /**
   * Claim up to `limit` tasks for one agent in one atomic step, in claim order (the order single claims
   * would have taken them). Each is claimed exactly as by `claimTask`: its own attempt, token and lease.
   * An empty array when nothing is claimable. `limit` is an integer from 1 to 1 000.
   *
   * ### Examples
   * ```ts
   * const batch = await store.claimTasks('worker-1', 16, { capabilities: ['code'] });
   * ```
   */
  claimTasks(agentName: string, limit: number, options?: ClaimOptions): MaybePromise<Task[]>;

  /** The task, or `null` when no task has that id. */
  getTask(id: string): MaybePromise<Task | null>;

  /**
   * Change a task. A status change must be allowed by the transition table, otherwise
   * `InvalidTransitionError` is thrown and nothing is written. `null` when no task has that id.
   */
  updateTask(id: string, update: UpdateTaskInput): MaybePromise<Task | null>;

  /** Matching tasks, by priority (highest first), then creation (oldest first). */
  getTasks(filter?: TaskFilter): MaybePromise<Task[]>;

  /** Counts by status; cheap however many tasks the store holds. */
  getStats(): MaybePromise<TaskStats>;

  /** `true` when the task existed and was deleted, `false` when there was no such task. */
  deleteTask(id: string): MaybePromise<boolean>;

  /** Delete every task. Destructive. */
  clearAll(): MaybePromise<void>;

  /**
   * The holder starts work: CLAIMED → IN_PROGRESS (already IN_PROGRESS: no change). Fenced: throws
   * `LeaseLostError` and writes nothing unless `lease` is the current, unexpired one.
   */
  startTask(lease: TaskLease): MaybePromise<void>;

  /**
   * Start many held tasks in one transaction, each fenced on its own exactly as `startTask`; a lost lease
   * is reported in its outcome (never thrown). Outcomes are in input order.
   */
  startTasks(leases: readonly TaskLease[]): MaybePromise<LeaseWriteOutcome[]>;

  /**
   * Extend the lease to a full lease length from now (never past the task's timeout). Throws
   * `LeaseLostError` when the lease is gone, with `reason: 'cancelled'` when the task was cancelled.
   */
  heartbeat(lease: TaskLease): MaybePromise<{ leaseExpiresAt: number }>;

  /** Fenced: the task becomes COMPLETED with `result`. A task's result is written once. */
  completeTask(lease: TaskLease, result?: string): MaybePromise<void>;

  /**
   * Complete many held tasks in one durable write (one transaction), each fenced on its own exactly as
   * `completeTask`: a lost lease refuses that completion only, reported in its outcome (never thrown), and
   * the others commit. Outcomes are in input order. When it returns, every `ok` result is durable.
   *
   * ### Examples
   * ```ts
   * const outcomes = await store.completeTasks([{ lease: a, result: 'ok' }, { lease: b }]);
   * for (const o of outcomes) if (!o.ok) console.warn(o.error.message);
   * ```
   */
  completeTasks(completions: readonly TaskCompletion[]): MaybePromise<LeaseWriteOutcome[]>;

  /**
   * Fenced: the attempt failed with `error`. With attempts left (and `retry` not false) the task goes back
   * to PENDING, claimable after an exponential backoff with jitter; otherwise it is FAILED.
   */
  failTask(lease: TaskLease, error: string, options?: { retry?: boolean }): MaybePromise<FailureOutcome>;

  /** Fenced: hand the task back unfinished. PENDING at once, and the attempt does not count. */
  releaseTask(lease: TaskLease, options?: { reason?: string }): MaybePromise<void>;

  /**
   * Cancel a task that is not finished (the operator's path; no lease needed). A holder learns at its next
   * fenced write. `null` when no task has that id; `InvalidTransitionError` when it is finished.
   */
  cancelTask(id: string, options?: { reason?: string }): MaybePromise<Task | null>;

  /**
   * Run a FAILED or CANCELLED task again: PENDING with its attempts reset and its history kept, claimable
   * from `runAt` (default now). `null` when no task has that id.
   */
  retryTask(id: string, options?: { runAt?: number }): MaybePromise<Task | null>;

  /**
   * Reclaim every task whose lease expired: back to PENDING, or FAILED after its last attempt. Claims do
   * this by themselves; call it to settle the pool without claiming (e.g. before reading stats).
   */
  reclaimExpired(): MaybePromise<ReclaimReport>;

  /** Every status change of a task, oldest first (empty for an unknown id). */
  getTaskHistory(id: string): MaybePromise<TaskTransition[]>;

  /**
   * Call `listener` soon after the pool changes: at once (after the write returns) for writes through this
   * store object, and within a short delay for writes by other connections or processes (SQLite: a
   * `PRAGMA data_version` check; PostgreSQL: `LISTEN/NOTIFY`). A hint to look again, not a log: bursts
   * may coalesce into one call. Returns a function that unsubscribes; the store keeps no timer running
   * once the last listener is gone (nor after `close()`).
   *
   * ### Examples
   * ```ts
   * const stop = store.onChange(() => wakeIdleWorkers());
   * // later
   * stop();
   * ```
   */
  onChange(listener: () => void): () => void;

  /** Release the store's resources. Later calls throw `StoreClosedError`; closing twice is a no-op. */
  close(): MaybePromise<void>;
}

/** Which tasks a claim may take. */
export interface ClaimOptions {
  /**
   * What the claiming agent can do. With it, only tasks whose `requires` are all in it are claimed (a task
   * that requires nothing always is); without it (the guide's `claimTask(name)`), any task is.
   */
  capabilities?: readonly string[];
  /**
   * Take only tasks that require at least one capability (all of them in `capabilities`): a specialist
   * that leaves general work (tasks requiring nothing) to others. Default false.
   */
  exclusive?: boolean;
}

/** One completion of a {@link TaskStoreV3.completeTasks} group. */
export interface TaskCompletion {
  lease: TaskLease;
  result?: string;
}

/** How one fenced write of a group went: written, or refused because its lease was lost. */
export type LeaseWriteOutcome = { id: string; ok: true } | { id: string; ok: false; error: LeaseLostError };
