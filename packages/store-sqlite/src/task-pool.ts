import {
  assertLeaseHeld,
  type ClaimOptions,
  type Clock,
  type CreateTaskInput,
  dependantsEffect,
  emptyStats,
  endedAs,
  type FailureOutcome,
  InvalidInputError,
  isEnded,
  isTerminal,
  type LeaseLostError,
  type LeaseOptions,
  type LeasePolicy,
  type LeaseWriteOutcome,
  leaseLoss,
  newPendingTask,
  planCancel,
  planFailure,
  planRelease,
  planRetry,
  planUpdate,
  ReadOnlyDatabaseError,
  type ReclaimReport,
  STATS_KEY,
  StorageError,
  StoreClosedError,
  selfDependency,
  TASK_STORE_SPECIFICATION_VERSION,
  type Task,
  type TaskCompletion,
  type TaskFilter,
  type TaskLease,
  type TaskStats,
  TaskStatus,
  type TaskStore,
  type TaskTransition,
  taskIdTaken,
  transitionRecord,
  type UpdateTaskInput,
  unknownCursor,
  unknownDependency,
  type ValidationLimits,
  type ValidCreateInput,
  validateAgentName,
  validateClaimLimit,
  validateClaimOptions,
  validateCompletions,
  validateCreateInputs,
  validateFilter,
  validateLease,
  validateLeases,
  validateOptionalBoolean,
  validateOptionalText,
  validateOptions,
  validateTaskId,
  validateText,
  validateTime,
  validateUpdateInput,
} from '@omc/core';
import type Database from 'better-sqlite3';
import { ChangeSignal } from './change-signal.js';
import { DatabaseHealth } from './database-health.js';
import { decodeHistory, encodeHistoryLine } from './history-codec.js';
import { refuseRepeatedIds } from './input-checks.js';
import { checkIntegrity, type IntegrityReport } from './integrity.js';
import { openDatabase } from './open-database.js';
import { resolvePoolOptions } from './pool-options.js';
import { type CompiledShape, PreparedQuery } from './query-builder.js';
import { ROW, type TaskRow } from './schema.js';
import { cancelDependants } from './sql/cancel-dependants.js';
import { claimBatch, claimBatchExclusive, claimBatchWithin, claimNext } from './sql/claim.js';
import { completeHeld, completeHeldWithDependants } from './sql/complete.js';
import { countHeld, countPending, selectCounts } from './sql/counts.js';
import { deleteAll, deleteAllEdges, deleteEdgesFrom, deleteEdgesTo, deleteReturning } from './sql/delete.js';
import { heartbeatHeld } from './sql/heartbeat.js';
import { selectHistory } from './sql/history.js';
import {
  insertDependencies,
  insertFullTask,
  insertTask,
  insertTasksFromJson,
  markHasDependants,
  newTaskBindings,
  newTaskRow,
  selectByIdempotencyKey,
  selectStatusesOf,
} from './sql/insert.js';
import { filterShapeKey, selectAfter, selectFiltered } from './sql/list.js';
import { releaseDependants } from './sql/release-dependants.js';
import { selectById } from './sql/select.js';
import { startHeld } from './sql/start.js';
import { promoteDue, reclaimExpired, upkeepDue } from './sql/upkeep.js';
import { writePlanned } from './sql/write-planned.js';
import { rowFromTask, taskFromRow } from './task-row.js';

/**
 * Options of {@link TaskPool}. Every field has a default; the lease options (`leaseMs`, `maxAttempts`,
 * `backoff`, `random`) are core's {@link LeaseOptions}.
 */
export interface TaskPoolOptions extends LeaseOptions {
  /** Where "now" comes from; inject a fake clock in tests. Default: the wall clock. */
  clock?: Clock;
  /** Largest metadata, in UTF-8 bytes of JSON. Default 256 KiB. */
  maxMetadataBytes?: number;
  /** How long a write waits for another process's lock before failing. Default 10 000 ms. */
  busyTimeoutMs?: number;
  /**
   * `normal` (default): in WAL mode, a committed write survives a crash of the process; the last
   * transactions may be lost if the machine loses power. `full`: survives power loss too, slower.
   */
  synchronous?: 'normal' | 'full';
  /**
   * How often, while `onChange` has listeners, the pool looks for writes by other processes (a read of
   * `PRAGMA data_version`, which costs no I/O). Default 20 ms. Writes through this pool are signalled at
   * once, whatever this is; an in-memory pool never polls.
   */
  changePollMs?: number;
  /**
   * Open an existing database for reading only (default false). Reads (`getTask`, `getTasks`,
   * `getStats`, `getTaskHistory`, `onChange`) work; every other method throws `ReadOnlyDatabaseError`
   * (`problem: 'opened_read_only'`, with the task id where there is one) before touching the file. The
   * file is opened with SQLite's read-only flag: never created, migrated (an older schema is refused,
   * typed) or written. SQLite reads a WAL database through its `-shm` file: when another process has
   * the database open, the pool shares its `-wal`/`-shm` and sees its commits as they land; when they
   * are missing, SQLite creates them empty (the pool gives their owner write permission back, so they
   * never keep a later writer out), and in a read-only directory without them the open is refused
   * (`ReadOnlyDatabaseError`, `problem: 'directory'`), since SQLite cannot read the file safely. Side
   * files a reader creates belong to the reader's OS user: run readers as the writer's user (or open a
   * writer first), or a writer of another user may find them not writable.
   *
   * ### Examples
   * ```ts
   * const reader = new TaskPool('/srv/archive/tasks.db', { readOnly: true });
   * console.log(reader.getStats());
   * reader.createTask({ title: 'x', description: 'y' }); // throws ReadOnlyDatabaseError
   * ```
   */
  readOnly?: boolean;
  /**
   * Check the file before using it and refuse a damaged one with `DatabaseCorruptError` (its
   * `findings` say what SQLite found); nothing is written first. `true` or `'quick'`: `PRAGMA
   * quick_check`; `'full'`: `PRAGMA integrity_check`, which also cross-checks every index against its
   * table. Default false. Both read the whole file: measured by `pnpm bench` (workload `integrity`), about
   * 11 ms (quick) and 36 ms (full) at 10 000 tasks, 90 ms and 310 ms at 100 000.
   *
   * ### Examples
   * ```ts
   * const pool = new TaskPool('./tasks.db', { checkIntegrityOnOpen: 'quick' });
   * ```
   */
  checkIntegrityOnOpen?: boolean | 'quick' | 'full';
}

/**
 * The guide's task pool on SQLite: synchronous, atomic claims, priority order, persistent when given a
 * file. Several OS processes may share one file (WAL mode, busy timeout, write lock taken up front).
 *
 * ### Examples
 * ```ts
 * import { TaskPool, TaskPriority, TaskStatus } from '@omc/store-sqlite';
 *
 * const pool = new TaskPool('./tasks.db'); // or new TaskPool() for in-memory
 * pool.createTask({ title: 'Fix bug', description: 'Patch the login', priority: TaskPriority.HIGH });
 * const task = pool.claimTask('agent-1');
 * if (task) pool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'done' });
 * console.log(pool.getStats());
 * pool.close();
 * ```
 */
export class TaskPool implements TaskStore {
  readonly specificationVersion = TASK_STORE_SPECIFICATION_VERSION;
  /** The better-sqlite3 handle. Private, but the guide's raw-SQL examples reach it as `pool['db']`. */
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly limits: ValidationLimits;
  private readonly policy: LeasePolicy;
  private readonly random: () => number;
  private readonly statements: {
    insert: PreparedQuery;
    insertFull: PreparedQuery;
    selectByKey: PreparedQuery;
    insertFromJson: PreparedQuery;
    statusesOf: PreparedQuery;
    insertDependencies: PreparedQuery;
    markHasDependants: PreparedQuery;
    upkeepDue: PreparedQuery;
    reclaimExpired: PreparedQuery;
    promoteDue: PreparedQuery;
    claim: PreparedQuery;
    claimBatch: PreparedQuery;
    claimBatchWithin: PreparedQuery;
    claimBatchExclusive: PreparedQuery;
    start: PreparedQuery;
    heartbeat: PreparedQuery;
    complete: PreparedQuery;
    completeWithDependants: PreparedQuery;
    releaseDependants: PreparedQuery;
    cancelDependants: PreparedQuery;
    history: PreparedQuery;
    selectById: PreparedQuery;
    writePlanned: PreparedQuery;
    deleteReturning: PreparedQuery;
    deleteEdgesFrom: PreparedQuery;
    deleteEdgesTo: PreparedQuery;
    deleteAll: PreparedQuery;
    deleteAllEdges: PreparedQuery;
    counts: PreparedQuery;
    countPending: PreparedQuery;
    countHeld: PreparedQuery;
  };
  private readonly filterStatements = new Map<string, PreparedQuery>();
  /**
   * The rows this pool last claimed or updated, by task id (a few hundred at most). updateTask plans from
   * one instead of reading it again; the version compare-and-set catches a row changed since.
   */
  private readonly recentRows = new Map<string, TaskRow>();
  private readonly readAfterInSnapshot: Database.Transaction<
    (valid: TaskFilter, after: string, named: Record<string, unknown>) => TaskRow[]
  >;
  private readonly readStats: () => {
    counters: [name: string, count: number][];
    held: [held: number, inProgress: number];
    pending: number;
  };
  /** createTasks with idempotency keys or dependencies: row by row, in one IMMEDIATE transaction. */
  private readonly insertEachInTransaction: (tasks: Task[], valid: ValidCreateInput[]) => Task[];
  /** Run `work` in an IMMEDIATE transaction (a savepoint inside one already open). */
  private readonly inTransaction: <T>(work: () => T) => T;
  private readonly signal: ChangeSignal;
  private readonly health: DatabaseHealth;
  private readonly path: string;
  private readonly readOnly: boolean;
  private closed = false;
  /** The `now` of the last upkeep check; see claimTask. */
  private upkeepCheckedAt = Number.NaN;

  /**
   * @param dbPath A database file, created when missing; `':memory:'` (the default) for a private
   * in-memory pool.
   */
  constructor(dbPath = ':memory:', options?: TaskPoolOptions) {
    const resolved = resolvePoolOptions(options);
    ({ clock: this.clock, limits: this.limits, policy: this.policy, random: this.random } = resolved);
    const { changePollMs } = resolved;
    this.path = dbPath;
    this.readOnly = resolved.readOnly;
    this.db = openDatabase(dbPath, {
      busyTimeoutMs: resolved.busyTimeoutMs,
      synchronous: resolved.synchronous,
      readOnly: resolved.readOnly,
      checkIntegrityOnOpen: resolved.checkIntegrityOnOpen,
    });
    this.health = new DatabaseHealth(this.db, dbPath);
    const prepare = (shape: CompiledShape) => new PreparedQuery(this.db, shape);
    this.statements = {
      insert: prepare(insertTask),
      insertFull: prepare(insertFullTask),
      selectByKey: prepare(selectByIdempotencyKey),
      insertFromJson: prepare(insertTasksFromJson),
      statusesOf: prepare(selectStatusesOf),
      insertDependencies: prepare(insertDependencies),
      markHasDependants: prepare(markHasDependants),
      upkeepDue: prepare(upkeepDue),
      reclaimExpired: prepare(reclaimExpired),
      promoteDue: prepare(promoteDue),
      claim: prepare(claimNext),
      claimBatch: prepare(claimBatch),
      claimBatchWithin: prepare(claimBatchWithin),
      claimBatchExclusive: prepare(claimBatchExclusive),
      start: prepare(startHeld),
      heartbeat: prepare(heartbeatHeld),
      complete: prepare(completeHeld),
      completeWithDependants: prepare(completeHeldWithDependants),
      releaseDependants: prepare(releaseDependants),
      cancelDependants: prepare(cancelDependants),
      history: prepare(selectHistory),
      selectById: prepare(selectById),
      writePlanned: prepare(writePlanned),
      deleteReturning: prepare(deleteReturning),
      deleteEdgesFrom: prepare(deleteEdgesFrom),
      deleteEdgesTo: prepare(deleteEdgesTo),
      deleteAll: prepare(deleteAll),
      deleteAllEdges: prepare(deleteAllEdges),
      counts: prepare(selectCounts),
      countPending: prepare(countPending),
      countHeld: prepare(countHeld),
    };
    const readStats = this.db.transaction(() => ({
      counters: this.statements.counts.all<[name: string, count: number]>(),
      pending: (this.statements.countPending.get<[count: number]>() as [number])[0],
      held: this.statements.countHeld.get<[held: number, inProgress: number]>() as [number, number],
    }));
    this.readStats = () => readStats.deferred();
    this.readAfterInSnapshot = this.db.transaction((valid, after, named) => this.readAfter(valid, after, named));
    const insertEach = this.db.transaction((tasks: Task[], valid: ValidCreateInput[]) =>
      tasks.map((task, i) => this.insertOne(task, valid[i] as ValidCreateInput)),
    );
    this.insertEachInTransaction = (tasks, valid) => insertEach.immediate(tasks, valid);
    const transaction = this.db.transaction((work: () => unknown) => work());
    this.inTransaction = <T>(work: () => T) => transaction.immediate(work) as T;
    const inMemory = dbPath === ':memory:' || dbPath === '';
    const dataVersion = this.db.prepare('pragma data_version').pluck();
    this.signal = new ChangeSignal(inMemory ? undefined : () => dataVersion.get() as number, changePollMs);
  }

  /**
   * Add a PENDING task. Priority defaults to MEDIUM.
   *
   * ### Examples
   * ```ts
   * const task = pool.createTask({ title: 'Build user API', description: 'CRUD endpoints', priority: TaskPriority.HIGH });
   * ```
   */
  createTask(input: CreateTaskInput): Task {
    this.assertOpen('createTask');
    return this.insertTasks([input], 'createTask')[0] as Task;
  }

  /**
   * Add many PENDING tasks in one transaction, in order. One invalid input refuses the whole batch.
   *
   * ### Examples
   * ```ts
   * pool.createTasks([{ title: 'a', description: 'first' }, { title: 'b', description: 'second' }]);
   * ```
   */
  createTasks(inputs: readonly CreateTaskInput[]): Task[] {
    this.assertOpen('createTasks');
    return this.insertTasks(inputs, 'createTasks');
  }

  /** Both create methods, with the name the caller used, so a refusal names the call the user made. */
  private insertTasks(inputs: readonly CreateTaskInput[], operation: 'createTask' | 'createTasks'): Task[] {
    const valid = validateCreateInputs(inputs, this.limits);
    const now = this.clock.now();
    const tasks = valid.map((input) => newPendingTask(input, now, this.policy));
    const created = this.guard(operation, undefined, () => {
      // With idempotency keys or dependencies: row by row in one transaction, each checked under the lock.
      if (valid.some((input) => input.idempotencyKey !== undefined || input.dependsOn !== undefined)) {
        return this.insertEachInTransaction(tasks, valid);
      }
      // One task: a plain INSERT. More: one INSERT … SELECT over a JSON array of the rows. Either way a
      // single statement, so the batch goes in whole or not at all without an explicit transaction.
      refuseRepeatedIds(valid);
      try {
        if (tasks.length === 1) {
          this.insertOne(tasks[0] as Task, valid[0] as ValidCreateInput);
        } else if (tasks.length > 1) {
          const rows = tasks.map((t, i) => newTaskRow(t, valid[i] as ValidCreateInput));
          this.statements.insertFromJson.run({ rows: JSON.stringify(rows), now });
        }
      } catch (error) {
        // A caller-chosen id that a task already has: the statement inserted nothing; say which id.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') this.refuseTakenIds(valid);
        throw error;
      }
      return tasks;
    });
    // Only idempotent repeats (every task already existed) change nothing.
    if (created.some((task, i) => task.id === tasks[i]?.id)) this.signal.changed();
    return created;
  }

  /** Throw for the first caller-chosen id of `valid` that a task already has, if any. */
  private refuseTakenIds(valid: readonly ValidCreateInput[]): void {
    const chosen = valid.flatMap((input) => (input.id === undefined ? [] : [input.id]));
    if (chosen.length === 0) return;
    const taken = new Set(
      this.statements.statusesOf.all<[string, string]>({ ids: JSON.stringify(chosen) }).map(([id]) => id),
    );
    const first = chosen.find((id) => taken.has(id));
    if (first !== undefined) throw taskIdTaken(first);
  }

  /**
   * Insert one new task; with an idempotency key already taken, return the task that has it instead.
   * Dependencies are looked up here, inside the creating transaction: a dependency that does not exist
   * refuses the batch, one already FAILED or CANCELLED creates the task CANCELLED, and each one not yet
   * COMPLETED gets an edge and the task waits for it.
   */
  private insertOne(task: Task, input: ValidCreateInput): Task {
    const values = newTaskBindings(task, input);
    const plain = task.idempotencyKey === undefined && task.dependsOn === undefined;
    if (plain && input.id === undefined) {
      this.statements.insert.run(values);
      return task;
    }
    const idempotencyKey = task.idempotencyKey ?? null;
    if (idempotencyKey !== null) {
      const existing = this.statements.selectByKey.get<TaskRow>({ idempotencyKey });
      if (existing) return taskFromRow(existing);
    }
    if (input.id !== undefined) this.refuseTakenIds([input]);
    if (plain) {
      this.statements.insert.run(values);
      return task;
    }
    const { open, ended } = this.checkDependencies(task, input.id);
    const created = ended === undefined ? task : { ...planCancel(task, task.createdAt), error: ended };
    const history =
      ended === undefined
        ? null
        : encodeHistoryLine(transitionRecord(task, created, task.createdAt, ended), task.createdAt);
    this.statements.insertFull.run({
      ...values,
      status: created.status,
      updatedAt: created.updatedAt,
      runAt: created.runAt ?? null,
      error: created.error ?? null,
      history,
      idempotencyKey,
      dependsOn: task.dependsOn === undefined ? null : JSON.stringify(task.dependsOn),
      waitingOn: open.length,
    });
    if (open.length > 0) {
      const ids = JSON.stringify(open);
      this.statements.insertDependencies.run({ ids, taskId: task.id });
      this.statements.markHasDependants.run({ ids });
    }
    return created;
  }

  /**
   * A new task's dependencies, read under the write lock: those not yet COMPLETED (`open`), and why the
   * task is cancelled at once (`ended`) when one of them already FAILED or was CANCELLED. Throws
   * `InvalidInputError` for a dependency that does not exist, or the task itself.
   */
  private checkDependencies(task: Task, callerId: string | undefined): { open: string[]; ended: string | undefined } {
    const dependsOn = task.dependsOn;
    if (dependsOn === undefined) return { open: [], ended: undefined };
    const rows = this.statements.statusesOf.all<[id: string, status: string]>({ ids: JSON.stringify(dependsOn) });
    const statuses = new Map(rows);
    const open: string[] = [];
    let ended: string | undefined;
    for (const id of dependsOn) {
      if (id === task.id) {
        throw selfDependency(id);
      }
      const status = statuses.get(id);
      if (status === undefined) {
        throw unknownDependency(id, callerId);
      }
      if (status === TaskStatus.COMPLETED) continue;
      open.push(id);
      if (ended === undefined && isEnded(status as TaskStatus)) {
        ended = `dependency ${id} ${endedAs(status)}`;
      }
    }
    return { open, ended };
  }

  /**
   * Atomically claim the next pending task: highest priority, then oldest, then first created. With
   * `capabilities`, only a task whose `requires` are all among them (or that requires nothing); with
   * `exclusive` too, only a task that requires something.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-worker-1');
   * if (task) console.log(`Claimed: ${task.title}`);
   * const review = pool.claimTask('reviewer-1', { capabilities: ['review'] });
   * ```
   */
  claimTask(agentName: string, options?: ClaimOptions): Task | null {
    this.assertOpen('claimTask');
    const agent = validateAgentName(agentName);
    if (options !== undefined) {
      const filter = validateClaimOptions(options);
      if (filter.capabilities !== undefined) return this.claimMany('claimTask', agent, 1, filter)[0] ?? null;
    }
    const now = this.clock.now();
    let reclaimed = false;
    const row = this.guard('claimTask', undefined, () => {
      reclaimed = this.upkeepOncePerMs(now);
      return this.statements.claim.get<TaskRow>({ agent, now, leaseMs: this.policy.leaseMs });
    });
    if (!row) {
      if (reclaimed) this.signal.changed();
      return null;
    }
    this.remember(row);
    this.signal.changed();
    return taskFromRow(row);
  }

  /**
   * Claim up to `limit` tasks (1 to 1 000) for one agent in one statement, in claim order: each exactly
   * as {@link TaskPool.claimTask} would claim it, with its own attempt, fencing token, lease and history
   * line. An empty array when nothing is claimable.
   *
   * ### Examples
   * ```ts
   * const batch = pool.claimTasks('worker-1', 32, { capabilities: ['code'] });
   * pool.completeTasks(batch.map((task) => ({ lease: task, result: 'done' })));
   * ```
   */
  claimTasks(agentName: string, limit: number, options?: ClaimOptions): Task[] {
    this.assertOpen('claimTasks');
    const max = validateClaimLimit(limit);
    const agent = validateAgentName(agentName);
    return this.claimMany('claimTasks', agent, max, validateClaimOptions(options));
  }

  /** Claim up to `limit` tasks with the statement for the filter: none, capabilities, exclusive. */
  private claimMany(
    operation: string,
    agent: string,
    limit: number,
    filter: { capabilities: string[] | undefined; exclusive: boolean },
  ): Task[] {
    const now = this.clock.now();
    let reclaimed = false;
    const rows = this.guard(operation, undefined, () => {
      reclaimed = this.upkeepOncePerMs(now);
      const values = { agent, now, leaseMs: this.policy.leaseMs, limit };
      if (filter.capabilities === undefined) return this.statements.claimBatch.all<TaskRow>(values);
      const statement = filter.exclusive ? this.statements.claimBatchExclusive : this.statements.claimBatchWithin;
      return statement.all<TaskRow>({ ...values, capabilities: JSON.stringify(filter.capabilities) });
    });
    if (rows.length > 1) rows.sort(inClaimOrder);
    for (const row of rows) this.remember(row);
    if (rows.length > 0 || reclaimed) this.signal.changed();
    return rows.map(taskFromRow);
  }

  /**
   * Upkeep before a claim, at most once per millisecond: within one millisecond nothing new can expire or
   * come due (leases and delays always end in the future of the write that set them). Whether it
   * reclaimed anything.
   */
  private upkeepOncePerMs(now: number): boolean {
    if (now === this.upkeepCheckedAt) return false;
    const reclaimed = this.upkeep(now);
    this.upkeepCheckedAt = now;
    return reclaimed;
  }

  /**
   * Before a claim: reclaim leases that ran out, then make due delayed tasks ready. A cheap read says
   * whether either is needed, so the common claim stays one write. Each step is atomic; a claim between
   * them in another process sees a consistent pool either way. Whether it reclaimed anything.
   */
  private upkeep(now: number): boolean {
    const [expired, due] = this.statements.upkeepDue.get<[number | null, number | null]>({ now }) as [
      number | null,
      number | null,
    ];
    const report = expired === null ? undefined : this.reclaimAt(now);
    if (due !== null) this.statements.promoteDue.run({ now });
    return report !== undefined && report.requeued + report.failed > 0;
  }

  /**
   * Requeue or fail every task whose lease ran out by `now`, in one statement, and cancel the dependants
   * of those that failed for good, in the same transaction; count what it did.
   */
  private reclaimAt(now: number): ReclaimReport {
    return this.inTransaction(() => {
      const report: ReclaimReport = { requeued: 0, failed: 0 };
      const rows = this.statements.reclaimExpired.all<[status: string, id: string, hasDependants: number]>({ now });
      for (const [status, id, hasDependants] of rows) {
        if (status !== TaskStatus.FAILED) {
          report.requeued++;
          continue;
        }
        report.failed++;
        if (hasDependants === 1) this.cancelDependants(id, TaskStatus.FAILED, now);
      }
      return report;
    });
  }

  /** Cancel, transitively, the unfinished dependants of `id`, which ended `status` (or is being deleted). */
  private cancelDependants(id: string, status: TaskStatus | 'deleted', now: number): void {
    const ending = status === 'deleted' ? 'was deleted' : endedAs(status);
    this.statements.cancelDependants.run({ id, ending, now });
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
  startTask(lease: TaskLease): void {
    this.assertOpen('startTask');
    const valid = validateLease(lease);
    const now = this.clock.now();
    this.guard('startTask', valid.id, () => {
      const values = { id: valid.id, leaseToken: valid.leaseToken, now };
      if (this.statements.start.run(values).changes === 0) this.throwLeaseLoss(valid, now);
    });
    this.signal.changed();
  }

  /**
   * Start many held tasks in one transaction, each through the same fenced statement as
   * {@link TaskPool.startTask}. A lost lease is that item's outcome (never thrown); outcomes are in input
   * order.
   *
   * ### Examples
   * ```ts
   * const outcomes = pool.startTasks(pool.claimTasks('worker-1', 16));
   * ```
   */
  startTasks(leases: readonly TaskLease[]): LeaseWriteOutcome[] {
    this.assertOpen('startTasks');
    const valid = validateLeases(leases);
    return this.writeGroup('startTasks', valid, (lease, now) => {
      const values = { id: lease.id, leaseToken: lease.leaseToken, now };
      return this.statements.start.run(values).changes === 1;
    });
  }

  /**
   * Keep a lease alive: it runs a full lease length from now, but never past the task's `timeoutMs`.
   * One indexed write. Throws `LeaseLostError` when the lease is gone; `reason: 'cancelled'` means the
   * task was cancelled and the work should stop.
   *
   * ### Examples
   * ```ts
   * const timer = setInterval(() => pool.heartbeat(task), 10_000);
   * ```
   */
  heartbeat(lease: TaskLease): { leaseExpiresAt: number } {
    this.assertOpen('heartbeat');
    const valid = validateLease(lease);
    const now = this.clock.now();
    return this.guard('heartbeat', valid.id, () => {
      const values = { id: valid.id, leaseToken: valid.leaseToken, now, leaseMs: this.policy.leaseMs };
      const row = this.statements.heartbeat.get<[number]>(values);
      if (!row) this.throwLeaseLoss(valid, now);
      this.signal.changed();
      return { leaseExpiresAt: row[0] };
    });
  }

  /**
   * Finish a claimed task: COMPLETED with `result`. Fenced: only the current, unexpired lease writes,
   * so a task's result is written once even when a slow holder wakes up after another took over.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-1');
   * if (task) pool.completeTask(task, 'Successfully implemented feature');
   * ```
   */
  completeTask(lease: TaskLease, result?: string): void {
    this.assertOpen('completeTask');
    const valid = validateLease(lease);
    const text = validateOptionalText('result', result, valid.id);
    const now = this.clock.now();
    this.recentRows.delete(valid.id);
    this.guard('completeTask', valid.id, () => {
      const values = { id: valid.id, leaseToken: valid.leaseToken, now, result: text ?? null };
      // The statement refuses a task that has dependants: complete those with their release, atomically.
      if (this.statements.complete.run(values).changes === 1) return;
      if (!this.inTransaction(() => this.completeWithDependants(values))) this.throwLeaseLoss(valid, now);
    });
    this.signal.changed();
  }

  /**
   * Complete many held tasks in one transaction (one durable write), each through the same fenced
   * statement as {@link TaskPool.completeTask}: a lost lease refuses that completion only, reported in its
   * outcome, and the others commit. Outcomes are in input order; when it returns, every `ok` is durable.
   *
   * ### Examples
   * ```ts
   * const outcomes = pool.completeTasks(batch.map((task) => ({ lease: task, result: 'done' })));
   * for (const o of outcomes) if (!o.ok) console.warn(o.error.message);
   * ```
   */
  completeTasks(completions: readonly TaskCompletion[]): LeaseWriteOutcome[] {
    this.assertOpen('completeTasks');
    const valid = validateCompletions(completions);
    for (const item of valid) this.recentRows.delete(item.id);
    return this.writeGroup('completeTasks', valid, (item, now) => {
      const values = { id: item.id, leaseToken: item.leaseToken, now, result: item.result ?? null };
      return this.statements.complete.run(values).changes === 1 || this.completeWithDependants(values);
    });
  }

  /**
   * Inside a transaction: complete a held task that may have dependants, and release them (each waits
   * for one dependency fewer). `false` when the lease does not hold.
   */
  private completeWithDependants(values: { id: string; leaseToken: number; now: number; result: string | null }) {
    if (this.statements.completeWithDependants.run(values).changes === 0) return false;
    this.statements.releaseDependants.run({ id: values.id, now: values.now });
    return true;
  }

  /**
   * One IMMEDIATE transaction of fenced writes, in order; an item whose write matched no row reads its
   * task only to explain the refusal, and reports it instead of throwing.
   */
  private writeGroup<T extends TaskLease>(
    operation: string,
    items: readonly T[],
    write: (item: T, now: number) => boolean,
  ): LeaseWriteOutcome[] {
    if (items.length === 0) return [];
    const now = this.clock.now();
    const outcomes = this.guard(operation, undefined, () =>
      this.inTransaction(() =>
        items.map((item): LeaseWriteOutcome => {
          if (write(item, now)) return { id: item.id, ok: true };
          return { id: item.id, ok: false, error: this.leaseLossOf(item, now) };
        }),
      ),
    );
    if (outcomes.some((outcome) => outcome.ok)) this.signal.changed();
    return outcomes;
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
  failTask(lease: TaskLease, error: string, options?: { retry?: boolean }): FailureOutcome {
    this.assertOpen('failTask');
    const valid = validateLease(lease);
    const message = validateText('error', error, valid.id);
    const retry = validateOptionalBoolean('retry', validateOptions('failTask', options).retry, valid.id) !== false;
    const next = this.writeDecision('failTask', valid.id, (task, now) => {
      assertLeaseHeld(task, valid, now);
      return { next: planFailure(task, message, now, this.policy, this.random, retry), reason: message };
    });
    if (!next) this.throwLeaseLoss(valid, this.clock.now());
    return { status: next.status as FailureOutcome['status'], attempts: next.attempts, runAt: next.runAt };
  }

  /**
   * Hand a claimed task back unfinished (e.g. on shutdown): PENDING at once, and the attempt does not
   * count. Fenced.
   */
  releaseTask(lease: TaskLease, options?: { reason?: string }): void {
    this.assertOpen('releaseTask');
    const valid = validateLease(lease);
    const reason =
      validateOptionalText('reason', validateOptions('releaseTask', options).reason, valid.id) ??
      'released by its holder';
    const released = this.writeDecision('releaseTask', valid.id, (task, now) => {
      assertLeaseHeld(task, valid, now);
      return { next: planRelease(task, now), reason };
    });
    if (!released) this.throwLeaseLoss(valid, this.clock.now());
  }

  /**
   * Cancel a task that is not finished. A holder learns at its next heartbeat (`LeaseLostError` with
   * `reason: 'cancelled'`). `null` when there is no such task.
   *
   * ### Examples
   * ```ts
   * pool.cancelTask(task.id, { reason: 'superseded by a newer request' });
   * ```
   */
  cancelTask(id: string, options?: { reason?: string }): Task | null {
    this.assertOpen('cancelTask');
    const taskId = validateTaskId(id);
    const reason = validateOptionalText('reason', validateOptions('cancelTask', options).reason, taskId);
    return this.writeDecision('cancelTask', taskId, (task, now) => ({ next: planCancel(task, now), reason }));
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
  retryTask(id: string, options?: { runAt?: number }): Task | null {
    this.assertOpen('retryTask');
    const taskId = validateTaskId(id);
    const runAt = validateTime('runAt', validateOptions('retryTask', options).runAt, taskId);
    return this.writeDecision('retryTask', taskId, (task, now) => ({
      next: planRetry(task, now, runAt),
      reason: 'retried on request',
    }));
  }

  /**
   * Reclaim every lease that ran out now: back to PENDING, or FAILED after the last attempt. Claims do
   * this on their own; call it to settle the pool without claiming.
   */
  reclaimExpired(): ReclaimReport {
    this.assertOpen('reclaimExpired');
    const now = this.clock.now();
    const report = this.guard('reclaimExpired', undefined, () => this.reclaimAt(now));
    if (report.requeued + report.failed > 0) this.signal.changed();
    return report;
  }

  /**
   * Every status change of a task, oldest first: who, which attempt, when and why. Each is recorded by
   * the statement that makes it, and raw SQL's by a trigger, so those appear too. Empty for an unknown id.
   *
   * ### Examples
   * ```ts
   * for (const step of pool.getTaskHistory(task.id)) console.log(step.attempt, step.from, '→', step.to, step.reason);
   * ```
   */
  getTaskHistory(id: string): TaskTransition[] {
    this.assertOpen('getTaskHistory');
    const taskId = validateTaskId(id);
    const row = this.guard('getTaskHistory', taskId, () =>
      this.statements.history.get<[history: string | null, createdAt: number]>({ id: taskId }),
    );
    return row ? decodeHistory(row[0], taskId, row[1]) : [];
  }

  /** A fenced write matched no row: read the task and throw the reason its lease no longer holds. */
  private throwLeaseLoss(lease: TaskLease, now: number): never {
    throw this.leaseLossOf(lease, now);
  }

  /** A fenced write matched no row: read the task for the reason its lease no longer holds. */
  private leaseLossOf(lease: TaskLease, now: number): LeaseLostError {
    const row = this.statements.selectById.get<TaskRow>({ id: lease.id });
    const lost = leaseLoss(row ? taskFromRow(row) : null, lease, now);
    if (lost) return lost;
    throw new StorageError(`A fenced write to task ${lease.id} matched no row although its lease holds; retry it.`, {
      taskId: lease.id,
    });
  }

  /** The task with this id, or `null`. */
  getTask(id: string): Task | null {
    this.assertOpen('getTask');
    const taskId = validateTaskId(id);
    const row = this.guard('getTask', taskId, () => this.statements.selectById.get<TaskRow>({ id: taskId }));
    return row ? taskFromRow(row) : null;
  }

  /**
   * Change a task. A refused status change throws `InvalidTransitionError` and writes nothing.
   *
   * ### Examples
   * ```ts
   * pool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'Successfully implemented feature' });
   * ```
   */
  updateTask(id: string, update: UpdateTaskInput): Task | null {
    this.assertOpen('updateTask');
    const taskId = validateTaskId(id);
    const { metadataJson, ...fields } = validateUpdateInput(taskId, update, this.limits);
    return this.writeDecision(
      'updateTask',
      taskId,
      (task, now) => ({ next: planUpdate(task, fields, now, this.policy.leaseMs), reason: undefined }),
      metadataJson,
    );
  }

  /**
   * Read a task, let core decide its next state, and write it with a compare-and-set on the row's
   * version; decide again on a fresh read when the row moved meanwhile. No lock is held while deciding,
   * so a slow decision never blocks other processes' writes. `null` when there is no such task.
   */
  private writeDecision(
    operation: string,
    taskId: string,
    decide: (task: Task, now: number) => { next: Task; reason: string | undefined },
    metadataJson?: string,
  ): Task | null {
    return this.guard(operation, taskId, () => {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const remembered = attempt === 0 ? this.recentRows.get(taskId) : undefined;
        this.recentRows.delete(taskId);
        const row = remembered ?? this.statements.selectById.get<TaskRow>({ id: taskId });
        if (!row) return null;
        const current = taskFromRow(row);
        let decision: { next: Task; reason: string | undefined };
        try {
          decision = decide(current, this.clock.now());
        } catch (error) {
          if (remembered) continue; // decided on a row that may be stale: decide again on a fresh read
          throw error;
        }
        const { next, reason } = decision;
        const written = rowFromTask(next, row, metadataJson ?? row[ROW.metadata], row[ROW.version] + 1);
        const values = {
          seq: written[ROW.seq],
          id: taskId,
          status: written[ROW.status],
          assigned_agent: written[ROW.assignedAgent],
          updated_at: written[ROW.updatedAt],
          started_at: written[ROW.startedAt],
          completed_at: written[ROW.completedAt],
          result: written[ROW.result],
          error: written[ROW.error],
          metadata: written[ROW.metadata],
          attempts: written[ROW.attempts],
          run_at: written[ROW.runAt],
          lease_token: written[ROW.leaseToken],
          lease_expires_at: written[ROW.leaseExpiresAt],
          historyLine:
            next.status === current.status
              ? null
              : encodeHistoryLine(transitionRecord(current, next, next.updatedAt, reason), current.createdAt),
          // Back in line from FAILED or CANCELLED (a retry): count again what it waits for.
          recount: next.status === TaskStatus.PENDING && isEnded(current.status) && row[ROW.dependsOn] !== null ? 1 : 0,
          version: row[ROW.version],
        };
        // Completing, failing or cancelling a task others depend on: the write and what it does to them
        // (released, or cancelled down the chain) in one transaction. The flag was read with the row, and
        // a dependant created since bumped the version, so the compare-and-set would refuse this write.
        const dependants = row[ROW.hasDependants] === 1 ? dependantsEffect(current.status, next.status) : undefined;
        const write = () => {
          if (this.statements.writePlanned.run(values).changes !== 1) return false;
          if (dependants === 'release') this.statements.releaseDependants.run({ id: taskId, now: next.updatedAt });
          else if (dependants !== undefined) this.cancelDependants(taskId, dependants, next.updatedAt);
          return true;
        };
        if (dependants === undefined ? write() : this.inTransaction(write)) {
          if (!isTerminal(next.status)) this.remember(written);
          // A copy, never the caller's own metadata object, as for every task the pool returns.
          if (metadataJson !== undefined) next.metadata = JSON.parse(metadataJson);
          this.signal.changed();
          return next;
        }
      }
      throw new StorageError(
        `${operation} gave up on task ${taskId}: another writer changed it before each of ${MAX_UPDATE_ATTEMPTS} attempts. Retry, or find what rewrites it in a loop.`,
        { taskId },
      );
    });
  }

  /** Keep a row for the next updateTask of its task, unless it is large; the oldest go first. */
  private remember(row: TaskRow): void {
    const size = (row[ROW.metadata]?.length ?? 0) + (row[ROW.result]?.length ?? 0) + (row[ROW.error]?.length ?? 0);
    if (size > MAX_REMEMBERED_ROW_CHARS) return;
    this.recentRows.set(row[ROW.id], row);
    if (this.recentRows.size > MAX_REMEMBERED_ROWS) {
      this.recentRows.delete(this.recentRows.keys().next().value as string);
    }
  }

  /**
   * Matching tasks, by priority (highest first) then age (oldest first). Page with `limit`/`offset`.
   *
   * ### Examples
   * ```ts
   * const criticalPending = pool.getTasks({ status: TaskStatus.PENDING, priority: TaskPriority.CRITICAL });
   * ```
   */
  getTasks(filter?: TaskFilter): Task[] {
    this.assertOpen('getTasks');
    const valid = validateFilter(filter);
    const named: Record<string, unknown> = {};
    if (valid.status !== undefined && valid.status !== TaskStatus.PENDING) named.status = valid.status;
    if (valid.assignedAgent !== undefined) named.assignedAgent = valid.assignedAgent;
    if (valid.priority !== undefined) named.priority = valid.priority;
    if (valid.limit !== undefined) named.limit = valid.limit;
    if (valid.offset !== undefined) named.offset = valid.offset;
    const rows = this.guard('getTasks', valid.after, () =>
      valid.after === undefined
        ? this.filterStatement(valid, 'page', selectFiltered).all<TaskRow>(named)
        : this.readAfterInSnapshot.deferred(valid, valid.after, named),
    );
    return rows.map(taskFromRow);
  }

  /** Keyset paging: the rest of the cursor's priority, then lower priorities, in one read snapshot. */
  private readAfter(valid: TaskFilter, after: string, named: Record<string, unknown>): TaskRow[] {
    const cursor = this.statements.selectById.get<TaskRow>({ id: after });
    if (!cursor) throw unknownCursor(after);
    const limit = valid.limit ?? -1;
    const keys = {
      ...named,
      cursorPriority: cursor[ROW.priority],
      cursorCreatedAt: cursor[ROW.createdAt],
      cursorSeq: cursor[ROW.seq],
    };
    const same = this.filterStatement(valid, 'same-priority', (f) => selectAfter(f, 'same-priority'));
    const rows = same.all<TaskRow>({ ...keys, limit });
    if (limit !== -1 && rows.length >= limit) return rows;
    const lower = this.filterStatement(valid, 'lower-priority', (f) => selectAfter(f, 'lower-priority'));
    return rows.concat(lower.all<TaskRow>({ ...keys, limit: limit === -1 ? -1 : limit - rows.length }));
  }

  /** The prepared statement for one filter shape and query kind, prepared on first use. */
  private filterStatement(
    valid: TaskFilter,
    kind: string,
    build: (filter: TaskFilter) => CompiledShape,
  ): PreparedQuery {
    const key = `${kind}:${filterShapeKey(valid)}`;
    let statement = this.filterStatements.get(key);
    if (!statement) {
      statement = new PreparedQuery(this.db, build(valid));
      this.filterStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * Counts by status, in one snapshot. Pending is an index-only count over the claim and delayed
   * indexes, claimed and in-progress one over the lease index; the total, failed and cancelled are
   * counters kept by triggers; completed is the rest. So the cost follows the queue and the live work,
   * never the size of the history, and claiming, starting and completing write no counter.
   *
   * ### Examples
   * ```ts
   * const stats = pool.getStats();
   * console.log(`Progress: ${stats.completed}/${stats.total}`);
   * ```
   */
  getStats(): TaskStats {
    this.assertOpen('getStats');
    const { counters, pending, held } = this.guard('getStats', undefined, this.readStats);
    const stats = emptyStats();
    for (const [name, count] of counters) {
      if (name === 'total') stats.total = count;
      else stats[STATS_KEY[name as TaskStatus]] = count;
    }
    stats.pending = pending;
    stats.inProgress = held[1];
    stats.claimed = held[0] - held[1];
    stats.completed = stats.total - pending - stats.claimed - stats.inProgress - stats.failed - stats.cancelled;
    return stats;
  }

  /** `true` if the task existed and was deleted, `false` if there was no such task. */
  deleteTask(id: string): boolean {
    this.assertOpen('deleteTask');
    const taskId = validateTaskId(id);
    this.recentRows.delete(taskId);
    const now = this.clock.now();
    const deleted = this.guard('deleteTask', taskId, () =>
      this.inTransaction(() => {
        const row = this.statements.deleteReturning.get<
          [status: TaskStatus, hasDependants: number, dependsOn: string | null]
        >({
          id: taskId,
        });
        if (!row) return false;
        const [status, hasDependants, dependsOn] = row;
        // Unfinished, its dependants can never run: cancelled, as if it had failed. Its edges go with it.
        if (hasDependants === 1) {
          if (status !== TaskStatus.COMPLETED) this.cancelDependants(taskId, 'deleted', now);
          this.statements.deleteEdgesFrom.run({ id: taskId });
        }
        if (dependsOn !== null) this.statements.deleteEdgesTo.run({ id: taskId, dependsOn });
        return true;
      }),
    );
    if (deleted) this.signal.changed();
    return deleted;
  }

  /** Delete every task. Destructive and cannot be undone. */
  clearAll(): void {
    this.assertOpen('clearAll');
    this.recentRows.clear();
    this.guard('clearAll', undefined, () =>
      this.inTransaction(() => {
        this.statements.deleteAll.run();
        this.statements.deleteAllEdges.run();
      }),
    );
    this.signal.changed();
  }

  /**
   * Call `listener` soon after the pool changes: after the write returns, for writes through this pool
   * (one call per burst: every write of one synchronous run shares it), and within `changePollMs` for
   * writes by other processes or connections on the same file. A hint to look again, not a log. Returns
   * a function that unsubscribes; no timer runs once the last listener is gone, nor after `close()`.
   *
   * ### Examples
   * ```ts
   * const stop = pool.onChange(() => wakeIdleWorkers());
   * // later
   * stop();
   * ```
   */
  onChange(listener: () => void): () => void {
    this.assertOpen('onChange');
    if (typeof listener !== 'function') {
      throw new InvalidInputError('listener', 'onChange takes a function to call when the pool changes.');
    }
    return this.signal.subscribe(listener);
  }

  /**
   * Ask SQLite whether the file is sound: `quick` (default false) runs `PRAGMA quick_check`, which
   * checks every page's structure; otherwise `PRAGMA integrity_check` also checks that every index
   * entry matches its row (a damaged index makes `getTask` miss a task that is there). Reads the whole
   * file and writes nothing; at most 100 findings. A damaged page is a finding, not an exception.
   *
   * ### Examples
   * ```ts
   * const report = pool.checkIntegrity({ quick: true });
   * if (!report.ok) console.error('tasks.db is damaged:', report.findings.join('\n'));
   * ```
   */
  checkIntegrity(options?: { quick?: boolean }): IntegrityReport {
    this.assertOpen('checkIntegrity');
    const quick = validateOptionalBoolean('quick', validateOptions('checkIntegrity', options).quick) ?? false;
    return this.guard('checkIntegrity', undefined, () => checkIntegrity(this.db, quick));
  }

  /** Close the database. Later calls throw `StoreClosedError`; closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal.close();
    this.db.close();
  }

  private openedReadOnly(operation: string, taskId: string | undefined): ReadOnlyDatabaseError {
    return new ReadOnlyDatabaseError(
      this.path,
      'opened_read_only',
      `Cannot ${operation}${taskId === undefined ? '' : ` task ${taskId}`}: this pool opened ${this.path} with ` +
        'readOnly: true; nothing was written. Open another pool without readOnly to change tasks.',
      { taskId },
    );
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new StoreClosedError(operation);
  }

  /** Run storage work, turning driver errors into typed errors that say what failed and what to do. */
  private guard<T>(operation: string, taskId: string | undefined, work: () => T): T {
    try {
      if (this.readOnly && !READ_OPERATIONS.has(operation)) throw this.openedReadOnly(operation, taskId);
      this.health.beforeOperation(operation);
      return work();
    } catch (error) {
      throw this.health.translate(error, operation, taskId);
    }
  }
}

/** What a `readOnly` pool may do; anything else would write. */
const READ_OPERATIONS = new Set(['getTask', 'getTasks', 'getStats', 'getTaskHistory', 'checkIntegrity']);

/** The claim order (priority, then creation time, then creation order) over rows. */
function inClaimOrder(a: TaskRow, b: TaskRow): number {
  return b[ROW.priority] - a[ROW.priority] || a[ROW.createdAt] - b[ROW.createdAt] || a[ROW.seq] - b[ROW.seq];
}

/** Enough for every task a busy worker holds at once; each entry is a row of plain values. */
const MAX_REMEMBERED_ROWS = 256;
const MAX_REMEMBERED_ROW_CHARS = 16 * 1024;
/** Compare-and-set rounds before updateTask reports contention instead of spinning. */
const MAX_UPDATE_ATTEMPTS = 50;
