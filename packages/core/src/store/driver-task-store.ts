import { runAsync, runSync, type Steps } from '../driver/steps.js';
import type { TaskStoreDriver } from '../driver/task-store-driver.js';
import { InvalidInputError, StoreClosedError } from '../errors.js';
import type { FailureOutcome, ReclaimReport, TaskLease, TaskTransition } from '../lease.js';
import type { CreateTaskInput, Task, TaskFilter, TaskStats, UpdateTaskInput } from '../task.js';
import {
  type ClaimOptions,
  type LeaseWriteOutcome,
  TASK_STORE_SPECIFICATION_VERSION,
  type TaskCompletion,
  type TaskStore,
} from '../task-store.js';
import type { ResolvedStoreOptions } from '../validation.js';
import { claimTask, claimTasks, reclaimExpired } from './claim-tasks.js';
import { createTasks } from './create-tasks.js';
import { cancelTask, failTask, releaseTask, retryTask, updateTask } from './decided-writes.js';
import { completeTask, completeTasks, heartbeat, startTask, startTasks } from './fenced-writes.js';
import { clearAll, deleteTask, getStats, getTask, getTaskHistory, getTasks } from './reads-and-deletes.js';
import { RecentTasks, type StoreContext, start } from './store-context.js';

/** What a store's method returns in each mode: the value itself (`'sync'`), or a promise of it. */
export type StoreResult<M extends 'sync' | 'async', T> = M extends 'sync' ? T : Promise<T>;

/**
 * The `TaskStore` contract, implemented once over a {@link TaskStoreDriver}: validation, the closed
 * check, planning each transition, the compare-and-set loop, explaining a refused write, create-time
 * checks, stats assembly and change listeners all live here, and a driver only persists. Over a
 * synchronous driver (`M = 'sync'`) every method returns a plain value, as the guide's
 * `const task = pool.claimTask('a')` needs; over an asynchronous one (`'async'`), a promise. The same
 * logic runs both ways (generators run by `runSync` or `runAsync`).
 *
 * ### Examples
 * ```ts
 * import { resolveStoreOptions, type StoreOptions } from '@omc/core';
 * import { DriverTaskStore } from '@omc/core/driver';
 *
 * class MyStore extends DriverTaskStore<'async'> {
 *   constructor(url: string, options?: StoreOptions) {
 *     const resolved = resolveStoreOptions(options); // checked before anything opens
 *     super(new MyDriver(url), resolved);
 *   }
 * }
 * ```
 */
export class DriverTaskStore<M extends 'sync' | 'async'> implements TaskStore {
  readonly specificationVersion = TASK_STORE_SPECIFICATION_VERSION;
  readonly #ctx: StoreContext;
  readonly #sync: boolean;
  #closed = false;

  constructor(driver: TaskStoreDriver & { readonly mode: M }, options: ResolvedStoreOptions) {
    this.#ctx = {
      driver,
      clock: options.clock,
      limits: options.limits,
      policy: options.policy,
      random: options.random,
      recent: new RecentTasks(),
      upkeepCheckedAt: Number.NaN,
    };
    this.#sync = driver.mode === 'sync';
  }

  /**
   * Run one operation's logic in the driver's mode; a closed store refuses every call. `logic` makes the
   * steps only after the closed check, and may check its input as it makes them (an operation that only
   * validates and hands over to a shared step saves a generator level that way): what it throws is thrown
   * in sync mode and rejects the promise in async mode, as an error inside the steps would.
   */
  #call<T>(operation: string, logic: () => Steps<T>): StoreResult<M, T> {
    if (this.#sync) {
      if (this.#closed) throw new StoreClosedError(operation);
      return runSync(logic(), this.#ctx.driver) as StoreResult<M, T>;
    }
    if (this.#closed) return Promise.reject(new StoreClosedError(operation)) as StoreResult<M, T>;
    let steps: Steps<T>;
    try {
      steps = logic();
    } catch (error) {
      return Promise.reject(error) as StoreResult<M, T>;
    }
    return runAsync(steps, this.#ctx.driver) as StoreResult<M, T>;
  }

  /**
   * Add a PENDING task. Priority defaults to MEDIUM; invalid input throws `InvalidInputError` and inserts
   * nothing.
   *
   * ### Examples
   * ```ts
   * const task = pool.createTask({ title: 'Build user API', description: 'CRUD endpoints', priority: TaskPriority.HIGH });
   * ```
   */
  createTask(input: CreateTaskInput): StoreResult<M, Task> {
    const created = this.#call('createTask', () => createTasks(this.#ctx, [input], 'createTask'));
    // Picked here rather than by one more generator around createTasks: each level costs on the hot path.
    return (this.#sync ? (created as Task[])[0] : (created as Promise<Task[]>).then(firstOf)) as StoreResult<M, Task>;
  }

  /**
   * Add many PENDING tasks in one atomic write, in order. One invalid input refuses the whole batch.
   *
   * ### Examples
   * ```ts
   * pool.createTasks([{ title: 'a', description: 'first' }, { title: 'b', description: 'second' }]);
   * ```
   */
  createTasks(inputs: readonly CreateTaskInput[]): StoreResult<M, Task[]> {
    return this.#call('createTasks', () => createTasks(this.#ctx, inputs, 'createTasks'));
  }

  /**
   * Atomically claim the next pending task: highest priority, then oldest, then first created. With
   * `capabilities`, only a task whose `requires` are all among them (or that requires nothing); with
   * `exclusive` too, only a task that requires something. `null` when nothing is claimable.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-worker-1');
   * if (task) console.log(`Claimed: ${task.title}`);
   * const review = pool.claimTask('reviewer-1', { capabilities: ['review'] });
   * ```
   */
  claimTask(agentName: string, options?: ClaimOptions): StoreResult<M, Task | null> {
    return this.#call('claimTask', () => claimTask(this.#ctx, agentName, options));
  }

  /**
   * Claim up to `limit` tasks (1 to 1 000) for one agent in one atomic write, in claim order: each
   * exactly as `claimTask` would claim it, with its own attempt, fencing token and lease. An empty array
   * when nothing is claimable.
   *
   * ### Examples
   * ```ts
   * const batch = pool.claimTasks('worker-1', 32, { capabilities: ['code'] });
   * pool.completeTasks(batch.map((task) => ({ lease: task, result: 'done' })));
   * ```
   */
  claimTasks(agentName: string, limit: number, options?: ClaimOptions): StoreResult<M, Task[]> {
    return this.#call('claimTasks', () => claimTasks(this.#ctx, agentName, limit, options));
  }

  /** The task with this id, or `null`. */
  getTask(id: string): StoreResult<M, Task | null> {
    return this.#call('getTask', () => getTask(this.#ctx, id));
  }

  /**
   * Change a task. A refused status change throws `InvalidTransitionError` and writes nothing. `null`
   * when there is no such task.
   *
   * ### Examples
   * ```ts
   * pool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'Successfully implemented feature' });
   * ```
   */
  updateTask(id: string, update: UpdateTaskInput): StoreResult<M, Task | null> {
    return this.#call('updateTask', () => updateTask(this.#ctx, id, update));
  }

  /**
   * Matching tasks, by priority (highest first) then age (oldest first). Page with `limit`/`offset`, or
   * with `after` (the last task id of the previous page).
   *
   * ### Examples
   * ```ts
   * const criticalPending = pool.getTasks({ status: TaskStatus.PENDING, priority: TaskPriority.CRITICAL });
   * ```
   */
  getTasks(filter?: TaskFilter): StoreResult<M, Task[]> {
    return this.#call('getTasks', () => getTasks(this.#ctx, filter));
  }

  /**
   * Counts by status; cheap however many tasks the store holds.
   *
   * ### Examples
   * ```ts
   * const stats = pool.getStats();
   * console.log(`Progress: ${stats.completed}/${stats.total}`);
   * ```
   */
  getStats(): StoreResult<M, TaskStats> {
    return this.#call('getStats', () => getStats(this.#ctx));
  }

  /** `true` if the task existed and was deleted, `false` if there was no such task. */
  deleteTask(id: string): StoreResult<M, boolean> {
    return this.#call('deleteTask', () => deleteTask(this.#ctx, id));
  }

  /** Delete every task. Destructive and cannot be undone. */
  clearAll(): StoreResult<M, void> {
    return this.#call('clearAll', () => clearAll(this.#ctx));
  }

  /**
   * Start work on a claimed task: CLAIMED → IN_PROGRESS. Fenced: throws `LeaseLostError` (writing
   * nothing) unless `lease` is the task's current, unexpired claim.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-1');
   * if (task) pool.startTask(task);
   * ```
   */
  startTask(lease: TaskLease): StoreResult<M, void> {
    return this.#call('startTask', () => startTask(this.#ctx, lease));
  }

  /**
   * Start many held tasks in one transaction, each fenced on its own exactly as `startTask`. A lost
   * lease is that item's outcome (never thrown); outcomes are in input order.
   *
   * ### Examples
   * ```ts
   * const outcomes = pool.startTasks(pool.claimTasks('worker-1', 16));
   * ```
   */
  startTasks(leases: readonly TaskLease[]): StoreResult<M, LeaseWriteOutcome[]> {
    return this.#call('startTasks', () => startTasks(this.#ctx, leases));
  }

  /**
   * Keep a lease alive: it runs a full lease length from now, but never past the task's `timeoutMs`.
   * Throws `LeaseLostError` when the lease is gone; `reason: 'cancelled'` means the task was cancelled
   * and the work should stop.
   *
   * ### Examples
   * ```ts
   * const timer = setInterval(() => pool.heartbeat(task), 10_000);
   * ```
   */
  heartbeat(lease: TaskLease): StoreResult<M, { leaseExpiresAt: number }> {
    return this.#call('heartbeat', () => heartbeat(this.#ctx, lease));
  }

  /**
   * Finish a claimed task: COMPLETED with `result`. Fenced: only the current, unexpired lease writes, so
   * a task's result is written once even when a slow holder wakes up after another took over.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-1');
   * if (task) pool.completeTask(task, 'Successfully implemented feature');
   * ```
   */
  completeTask(lease: TaskLease, result?: string): StoreResult<M, void> {
    return this.#call('completeTask', () => completeTask(this.#ctx, lease, result));
  }

  /**
   * Complete many held tasks in one transaction (one durable write), each fenced on its own exactly as
   * `completeTask`: a lost lease refuses that completion only, reported in its outcome, and the others
   * commit. Outcomes are in input order; when it returns, every `ok` is durable.
   *
   * ### Examples
   * ```ts
   * const outcomes = pool.completeTasks(batch.map((task) => ({ lease: task, result: 'done' })));
   * for (const o of outcomes) if (!o.ok) console.warn(o.error.message);
   * ```
   */
  completeTasks(completions: readonly TaskCompletion[]): StoreResult<M, LeaseWriteOutcome[]> {
    return this.#call('completeTasks', () => completeTasks(this.#ctx, completions));
  }

  /**
   * The attempt failed. With attempts left (and `retry` not false) the task goes back to PENDING,
   * claimable after an exponential backoff with jitter; after the last attempt it is FAILED. Fenced.
   *
   * ### Examples
   * ```ts
   * const outcome = pool.failTask(task, 'API returned 503');
   * if (outcome.status === TaskStatus.PENDING) console.log('retrying at', new Date(outcome.runAt!));
   * ```
   */
  failTask(lease: TaskLease, error: string, options?: { retry?: boolean }): StoreResult<M, FailureOutcome> {
    return this.#call('failTask', () => failTask(this.#ctx, lease, error, options));
  }

  /**
   * Hand a claimed task back unfinished (e.g. on shutdown): PENDING at once, and the attempt does not
   * count. Fenced.
   */
  releaseTask(lease: TaskLease, options?: { reason?: string }): StoreResult<M, void> {
    return this.#call('releaseTask', () => releaseTask(this.#ctx, lease, options));
  }

  /**
   * Cancel a task that is not finished. A holder learns at its next fenced write (`LeaseLostError` with
   * `reason: 'cancelled'`). `null` when there is no such task.
   *
   * ### Examples
   * ```ts
   * pool.cancelTask(task.id, { reason: 'superseded by a newer request' });
   * ```
   */
  cancelTask(id: string, options?: { reason?: string }): StoreResult<M, Task | null> {
    return this.#call('cancelTask', () => cancelTask(this.#ctx, id, options));
  }

  /**
   * Run a FAILED or CANCELLED task again on purpose: PENDING, attempts back to 0, history kept,
   * claimable from `runAt` (default now). `null` when there is no such task.
   *
   * ### Examples
   * ```ts
   * for (const task of pool.getTasks({ status: TaskStatus.FAILED })) pool.retryTask(task.id);
   * ```
   */
  retryTask(id: string, options?: { runAt?: number }): StoreResult<M, Task | null> {
    return this.#call('retryTask', () => retryTask(this.#ctx, id, options));
  }

  /**
   * Reclaim every lease that ran out now: back to PENDING, or FAILED after the last attempt. Claims do
   * this on their own; call it to settle the pool without claiming.
   */
  reclaimExpired(): StoreResult<M, ReclaimReport> {
    return this.#call('reclaimExpired', () => reclaimExpired(this.#ctx));
  }

  /**
   * Every status change of a task, oldest first: who, which attempt, when and why. Empty for an unknown
   * id.
   *
   * ### Examples
   * ```ts
   * for (const step of pool.getTaskHistory(task.id)) console.log(step.attempt, step.from, '→', step.to, step.reason);
   * ```
   */
  getTaskHistory(id: string): StoreResult<M, TaskTransition[]> {
    return this.#call('getTaskHistory', () => getTaskHistory(this.#ctx, id));
  }

  /**
   * Call `listener` soon after the pool changes: after the write returns, for writes through this store
   * (one call per burst), and within a short delay for writes by other connections or processes. A hint
   * to look again, not a log. Returns a function that unsubscribes; no timer runs once the last listener
   * is gone, nor after `close()`.
   *
   * ### Examples
   * ```ts
   * const stop = pool.onChange(() => wakeIdleWorkers());
   * // later
   * stop();
   * ```
   */
  onChange(listener: () => void): () => void {
    if (this.#closed) throw new StoreClosedError('onChange');
    if (typeof listener !== 'function') {
      throw new InvalidInputError('listener', 'onChange takes a function to call when the pool changes.');
    }
    return this.#ctx.driver.changes.subscribe(listener);
  }

  /** Release the store's resources. Later calls throw `StoreClosedError`; closing twice is harmless. */
  close(): StoreResult<M, void> {
    const first = !this.#closed;
    this.#closed = true;
    if (first) this.#ctx.driver.changes.close();
    const closing = first ? this.#ctx.driver.close() : undefined;
    return (this.#sync ? undefined : Promise.resolve(closing)) as StoreResult<M, void>;
  }

  /** Whether `close()` was called. */
  protected get isClosed(): boolean {
    return this.#closed;
  }

  /** The driver, for subclasses that add storage-specific methods. */
  protected get driver(): TaskStoreDriver {
    return this.#ctx.driver;
  }

  /**
   * Run storage-specific steps (a subclass's own method) like the contract's: the closed check, the
   * driver's `beforeOperation`, its error translation, in the store's mode.
   */
  protected run<T>(operation: string, steps: (driver: TaskStoreDriver) => Steps<T>): StoreResult<M, T> {
    return this.#call(operation, () => startThen(operation, this.#ctx.driver, steps));
  }
}

function* startThen<T>(
  operation: string,
  driver: TaskStoreDriver,
  steps: (driver: TaskStoreDriver) => Steps<T>,
): Steps<T> {
  yield start(operation, undefined);
  return yield* steps(driver);
}

function firstOf<T>(items: T[]): T {
  return items[0] as T;
}
