import type { TaskLease, TaskTransition } from '../lease.js';
import type { Task, TaskFilter, TaskStatus } from '../task.js';
import type { MaybePromise } from '../task-store.js';
import type { Steps } from './steps.js';

/**
 * A task as the driver holds it: the task (a fresh object the caller may own), its metadata as stored
 * JSON text, its place in creation order (`seq`, the claim order's last tie-break), the version every
 * write bumps (the compare-and-set of decided writes), and whether other tasks depend on it (so a write
 * that ends it knows to release or cancel them).
 */
export interface StoredTask {
  task: Task;
  metadataJson: string | undefined;
  seq: number;
  version: number;
  hasDependants: boolean;
}

/** A new task to insert, with its metadata as the JSON text the driver stores. */
export interface NewTaskRecord {
  task: Task;
  metadataJson: string | undefined;
}

/**
 * A new task with an idempotency key or dependencies, inserted inside a transaction after the checks:
 * `task` may arrive CANCELLED (a dependency had already ended), with `transition` its history line;
 * `waitingOn` lists the dependencies not yet COMPLETED, each of which gets an edge and is marked as
 * having dependants.
 */
export interface CheckedTaskRecord extends NewTaskRecord {
  transition: TaskTransition | undefined;
  waitingOn: string[];
}

/** What one claim asks the driver for: up to `limit` ready tasks, taken for `agent` at `now`. */
export interface ClaimRequest {
  agent: string;
  now: number;
  /** The store's default lease length, for tasks created without `leaseMs`. */
  leaseMs: number;
  limit: number;
  /** Only tasks whose `requires` are all among these; `undefined`: any task. */
  capabilities: readonly string[] | undefined;
  /** Only tasks that require something (with `capabilities`). */
  exclusive: boolean;
}

/** A task whose expired lease a reclaim sweep ended: its new status, and whether tasks depend on it. */
export interface ReclaimedTask {
  id: string;
  status: TaskStatus;
  hasDependants: boolean;
}

/** What a driver counts for `getStats`: the store assembles the rest (completed is what remains). */
export interface TaskCounts {
  total: number;
  pending: number;
  /** CLAIMED or IN_PROGRESS. */
  held: number;
  inProgress: number;
  failed: number;
  cancelled: number;
}

/**
 * A decided write: `next` over `before`, only if the stored version is still `before.version`. The
 * driver writes every field of `next` (metadata from `metadataJson`, the JSON text to store), appends
 * `transition` to the history when there is one, counts again what the task waits for when `recount`
 * (a retried dependant), and applies `dependants` in the same atomic step: `'release'` (it completed),
 * or the dependency error's ending (`'failed'`, `'was cancelled'`) to cancel them down the chain.
 */
export interface VersionedWrite {
  before: StoredTask;
  next: Task;
  metadataJson: string | undefined;
  transition: TaskTransition | undefined;
  recount: boolean;
  dependants: 'release' | DependencyEnding | undefined;
}

/** How a dependency's end reads in its dependants' error: `dependency <id> failed`. */
export type DependencyEnding = 'failed' | 'was cancelled' | 'was deleted';

/** A deleted task, with what the bookkeeping of its dependency edges needs. */
export interface DeletedTask {
  id: string;
  status: TaskStatus;
  hasDependants: boolean;
  /** The ids it depended on. */
  dependsOn: readonly string[] | undefined;
}

/** The store's change signal: local writes call `changed`; the driver adds other writers' changes. */
export interface ChangeSignalDriver {
  /** Something changed through this store: tell the listeners (once per burst). */
  changed(): void;
  /** Add a listener; the returned function removes it. */
  subscribe(listener: () => void): () => void;
  /** No call after this. */
  close(): void;
}

/**
 * What a storage adapter implements: a narrow executor that persists what the store decided, as River's
 * `riverdriver` does. Every decision (validation, planning each transition, the compare-and-set loop,
 * explaining a refused write, create-time checks, stats assembly) is made once, in core's
 * {@link DriverTaskStore}; a driver only reads and writes. A synchronous driver returns plain values and
 * its store does too (`TaskPool`); an asynchronous one returns promises, and so does its store.
 *
 * Every write is atomic on its own. Fenced writes (`startHeld`, `heartbeatHeld`, `completeHeld`) write
 * only while `lease` is the task's current, unexpired claim, and say whether they did; the store reads
 * the task to explain a refusal. `now` is always a parameter: a driver never reads a clock.
 *
 * ### Examples
 * ```ts
 * import { resolveStoreOptions } from '@omc/core';
 * import { DriverTaskStore } from '@omc/core/driver';
 * class MyStore extends DriverTaskStore<'async'> {
 *   constructor(options?: StoreOptions) { super(new MyDriver(), resolveStoreOptions(options)); }
 * }
 * ```
 */
export interface TaskStoreDriver {
  /** `'sync'`: every method returns a plain value; `'async'`: promises. The store runs its logic to match. */
  readonly mode: 'sync' | 'async';

  /** The stored task with this id, or `null`. */
  getTask(id: string): MaybePromise<StoredTask | null>;
  /** The task holding this idempotency key, or `null`. */
  getTaskByIdempotencyKey(key: string): MaybePromise<StoredTask | null>;
  /** The status of each of `ids` that exists. */
  getStatuses(ids: readonly string[]): MaybePromise<Map<string, TaskStatus>>;
  /**
   * Matching tasks in listing order (priority DESC, created_at, seq), paged by the filter's
   * `limit`/`offset`, and after the task `filter.after` when given (keyset paging, read in one snapshot
   * with the cursor). `null` when the cursor task does not exist.
   */
  listTasks(filter: TaskFilter): MaybePromise<Task[] | null>;
  /** Counts by status, cheap however many tasks there are. */
  countTasks(): MaybePromise<TaskCounts>;
  /** Every recorded status change of the task, oldest first; empty for an unknown id. */
  getHistory(id: string): MaybePromise<TaskTransition[]>;

  /**
   * Insert new PENDING tasks (no idempotency key, no dependencies) in one atomic write: all or none.
   * `'id_taken'` (nothing inserted) when a task already has one of their ids.
   */
  insertTasks(records: readonly NewTaskRecord[]): MaybePromise<'inserted' | 'id_taken'>;
  /** Insert one checked task with its dependency edges (called inside {@link transaction}). */
  insertCheckedTask(record: CheckedTaskRecord): MaybePromise<void>;

  /**
   * Whether upkeep is due at `now`: a held task's lease ran out (`expired`), or a delayed task's time
   * came (`due`). A cheap read, so a claim pays for upkeep only when there is some.
   */
  upkeepDue(now: number): MaybePromise<{ expired: boolean; due: boolean }>;
  /**
   * End every lease that ran out by `now`, as core's `planExpiry` decides: back to PENDING (ready at
   * once) while attempts remain, FAILED after the last, the reason as the task's error and its history
   * line. The dependants of a FAILED one are left to the store.
   */
  reclaimExpired(now: number): MaybePromise<ReclaimedTask[]>;
  /** Make every delayed task whose time came, and that waits for no dependency, ready. */
  promoteDue(now: number): MaybePromise<void>;
  /**
   * Claim up to `limit` ready tasks (PENDING, not delayed, waiting for no dependency, within the
   * request's capabilities) in claim order, in one atomic write, each as core's `planClaim` decides.
   * Returned in any order: the store sorts them.
   */
  claimReady(request: ClaimRequest): MaybePromise<StoredTask[]>;
  /**
   * Optional: {@link upkeepDue} and {@link claimReady} in one atomic step, for a driver whose every
   * call is a round trip. When upkeep is due at `request.now` nothing is claimed and the flags say
   * which; the store then runs the upkeep and claims with {@link claimReady}. Otherwise it claims as
   * {@link claimReady} does. Without it the store asks {@link upkeepDue} before each claim (once per ms).
   */
  claimUnlessUpkeepDue?(request: ClaimRequest): MaybePromise<{ claimed: StoredTask[]; expired: boolean; due: boolean }>;

  /** Fenced CLAIMED → IN_PROGRESS (already IN_PROGRESS: unchanged, still `true`). */
  startHeld(lease: TaskLease, now: number): MaybePromise<boolean>;
  /** Fenced lease renewal, as core's `planHeartbeat` decides; the new expiry, or `undefined` when refused. */
  heartbeatHeld(lease: TaskLease, now: number, leaseMs: number): MaybePromise<number | undefined>;
  /** Fenced completion, as core's `planComplete` decides, releasing its dependants in the same write. */
  completeHeld(lease: TaskLease, now: number, result: string | undefined): MaybePromise<boolean>;
  /**
   * Optional: {@link startHeld} of every lease (distinct task ids) in one atomic write, each fenced on
   * its own; whether each was written, in order. Without it the store starts each in a transaction.
   */
  startHeldAll?(leases: readonly TaskLease[], now: number): MaybePromise<boolean[]>;
  /**
   * Optional: {@link completeHeld} of every item (distinct task ids) in one atomic write, each fenced on
   * its own and releasing its dependants in that write; whether each was written, in order. Durable
   * when it returns. Without it the store completes each in a transaction.
   */
  completeHeldAll?(
    items: readonly (TaskLease & { result: string | undefined })[],
    now: number,
  ): MaybePromise<boolean[]>;

  /** Write a decided next state if the stored version has not moved; whether it did. */
  writeIfVersion(write: VersionedWrite): MaybePromise<boolean>;
  /**
   * Cancel every unfinished task that waits for `id`, and theirs in turn, each naming the dependency
   * nearest the root that took it down (of several equally near, the smallest id); `ending` says what
   * happened to the root.
   */
  cancelDependants(id: string, ending: DependencyEnding, now: number): MaybePromise<void>;
  /** Delete a task (not its edges); `null` when there was none. */
  deleteTask(id: string): MaybePromise<DeletedTask | null>;
  /** Drop a deleted task's dependency edges, both ways (after its dependants were dealt with). */
  dropEdges(deleted: DeletedTask): MaybePromise<void>;
  /** Delete every task and edge. */
  clearAll(): MaybePromise<void>;

  /**
   * Run `work` atomically (for a database: an IMMEDIATE/serialisable transaction, a savepoint inside one
   * already open): every driver call it makes through `tx` commits together, or none does when it
   * throws. Run the steps with `runSync` or `runAsync` from `@omc/core/driver`.
   */
  transaction<T>(work: (tx: TaskStoreDriver) => Steps<T>): MaybePromise<T>;

  /** The store's change signal. */
  readonly changes: ChangeSignalDriver;

  /**
   * Called before each operation touches storage (after its input is checked): the place to refuse
   * writes on a read-only store, or to check the storage is still sound. Optional.
   */
  beforeOperation?(operation: string, taskId: string | undefined): void;
  /** Turn a storage error into a typed error naming the operation and task. Optional. */
  translateError?(error: unknown, operation: string, taskId: string | undefined): unknown;

  /** Release the driver's resources. */
  close(): MaybePromise<void>;
}
