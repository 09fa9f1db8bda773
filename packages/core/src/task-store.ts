import type { FailureOutcome, ReclaimReport, TaskLease, TaskTransition } from './lease.js';
import type { CreateTaskInput, Task, TaskFilter, TaskStats, UpdateTaskInput } from './task.js';

/** A value now, or later. Synchronous stores return plain values; network stores return promises. */
export type MaybePromise<T> = T | Promise<T>;

/** The contract version this package defines. */
export const TASK_STORE_SPECIFICATION_VERSION = 'v2';

/**
 * What a storage adapter provides: the guide's task-pool methods, one contract for synchronous and
 * asynchronous stores. Generic code always `await`s the results; an adapter narrows the return types
 * (the SQLite pool returns plain values, so the guide's `const task = pool.claimTask('a')` works).
 *
 * `v2` added leases: every claim holds a lease with a fencing token, and the holder's writes
 * (`startTask`, `heartbeat`, `completeTask`, `failTask`, `releaseTask`) are fenced by it. Later
 * capabilities arrive as new optional members.
 *
 * ### Examples
 * ```ts
 * async function drain(store: TaskStore, agent: string) {
 *   for (let task = await store.claimTask(agent); task; task = await store.claimTask(agent)) {
 *     await store.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'done' });
 *   }
 * }
 * ```
 */
export interface TaskStore {
  /** Which version of this contract the store implements. */
  readonly specificationVersion: typeof TASK_STORE_SPECIFICATION_VERSION;

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
  claimTask(agentName: string): MaybePromise<Task | null>;

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
   * Extend the lease to a full lease length from now (never past the task's timeout). Throws
   * `LeaseLostError` when the lease is gone, with `reason: 'cancelled'` when the task was cancelled.
   */
  heartbeat(lease: TaskLease): MaybePromise<{ leaseExpiresAt: number }>;

  /** Fenced: the task becomes COMPLETED with `result`. A task's result is written once. */
  completeTask(lease: TaskLease, result?: string): MaybePromise<void>;

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

  /** Release the store's resources. Later calls throw `StoreClosedError`; closing twice is a no-op. */
  close(): MaybePromise<void>;
}
