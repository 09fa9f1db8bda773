import type { CreateTaskInput, Task, TaskFilter, TaskStats, UpdateTaskInput } from './task.js';

/** A value now, or later. Synchronous stores return plain values; network stores return promises. */
export type MaybePromise<T> = T | Promise<T>;

/** The contract version this package defines. */
export const TASK_STORE_SPECIFICATION_VERSION = 'v1';

/**
 * What a storage adapter provides: the guide's task-pool methods, one contract for synchronous and
 * asynchronous stores. Generic code always `await`s the results; an adapter narrows the return types
 * (the SQLite pool returns plain values, so the guide's `const task = pool.claimTask('a')` works).
 *
 * Later capabilities (leases, dependencies, events) arrive as new optional members, so an adapter
 * written against `v1` keeps compiling.
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
   * Atomically take the next PENDING task (highest priority, then oldest, then first created) for an
   * agent: it becomes CLAIMED with `assignedAgent` and `startedAt` set. `null` when none is pending.
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

  /** Release the store's resources. Later calls throw `StoreClosedError`; closing twice is a no-op. */
  close(): MaybePromise<void>;
}
