import {
  type Clock,
  type CreateTaskInput,
  DEFAULT_MAX_METADATA_BYTES,
  emptyStats,
  isTerminal,
  newPendingTask,
  OmcError,
  planUpdate,
  STATS_KEY,
  StorageError,
  StoreClosedError,
  systemClock,
  TASK_STORE_SPECIFICATION_VERSION,
  type Task,
  type TaskFilter,
  type TaskStats,
  TaskStatus,
  type TaskStore,
  type UpdateTaskInput,
  unknownCursor,
  type ValidationLimits,
  validateAgentName,
  validateCreateInput,
  validateFilter,
  validateTaskId,
  validateUpdateInput,
} from '@omc/core';
import type Database from 'better-sqlite3';
import { openDatabase } from './open-database.js';
import * as queries from './queries.js';
import { type CompiledShape, PreparedQuery } from './query-builder.js';
import { ROW, type TaskRow } from './schema.js';
import { rowFromTask, taskFromRow } from './task-row.js';

/** Options of {@link TaskPool}. Every field has a default. */
export interface TaskPoolOptions {
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
  private readonly statements: {
    insert: PreparedQuery;
    insertFromJson: PreparedQuery;
    claim: PreparedQuery;
    selectById: PreparedQuery;
    writePlanned: PreparedQuery;
    deleteById: PreparedQuery;
    deleteAll: PreparedQuery;
    counts: PreparedQuery;
    countPending: PreparedQuery;
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
    pending: number;
  };
  private closed = false;

  /**
   * @param dbPath A database file, created when missing; `':memory:'` (the default) for a private
   * in-memory pool.
   */
  constructor(dbPath = ':memory:', options: TaskPoolOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.limits = { maxMetadataBytes: options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES };
    this.db = openDatabase(dbPath, {
      busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
      synchronous: options.synchronous ?? 'normal',
    });
    const prepare = (shape: CompiledShape) => new PreparedQuery(this.db, shape);
    this.statements = {
      insert: prepare(queries.insertTask),
      insertFromJson: prepare(queries.insertTasksFromJson),
      claim: prepare(queries.claimNext),
      selectById: prepare(queries.selectById),
      writePlanned: prepare(queries.writePlanned),
      deleteById: prepare(queries.deleteById),
      deleteAll: prepare(queries.deleteAll),
      counts: prepare(queries.selectCounts),
      countPending: prepare(queries.countPending),
    };
    const readStats = this.db.transaction(() => ({
      counters: this.statements.counts.all<[name: string, count: number]>(),
      pending: (this.statements.countPending.get<[count: number]>() as [number])[0],
    }));
    this.readStats = () => readStats.deferred();
    this.readAfterInSnapshot = this.db.transaction((valid, after, named) => this.readAfter(valid, after, named));
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
    return this.createTasks([input])[0] as Task;
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
    const valid = inputs.map((input) => validateCreateInput(input, this.limits));
    const now = this.clock.now();
    const tasks = valid.map((input) => newPendingTask(input, now));
    // One task: a plain INSERT. More: one INSERT … SELECT over a JSON array of the rows. Either way a
    // single statement, so the batch goes in whole or not at all without an explicit transaction.
    this.guard('createTasks', undefined, () => {
      if (tasks.length === 1) {
        const task = tasks[0] as Task;
        const { id, title, description, priority } = task;
        this.statements.insert.run({ id, title, description, priority, now, metadata: valid[0]?.metadataJson ?? null });
      } else if (tasks.length > 1) {
        const rows = tasks.map((t, i) => [t.id, t.title, t.description, t.priority, valid[i]?.metadataJson ?? null]);
        this.statements.insertFromJson.run({ rows: JSON.stringify(rows), now });
      }
    });
    return tasks;
  }

  /**
   * Atomically claim the next pending task: highest priority, then oldest, then first created.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-worker-1');
   * if (task) console.log(`Claimed: ${task.title}`);
   * ```
   */
  claimTask(agentName: string): Task | null {
    this.assertOpen('claimTask');
    const agent = validateAgentName(agentName);
    const now = this.clock.now();
    const row = this.guard('claimTask', undefined, () => this.statements.claim.get<TaskRow>({ agent, now }));
    if (!row) return null;
    this.remember(row);
    return taskFromRow(row);
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
    return this.guard('updateTask', taskId, () => {
      // Read, let core decide, compare-and-set on the row's version; re-read when the row moved meanwhile.
      // No lock is held while deciding, so a slow decision never blocks other processes' writes.
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const remembered = attempt === 0 ? this.recentRows.get(taskId) : undefined;
        this.recentRows.delete(taskId);
        const row = remembered ?? this.statements.selectById.get<TaskRow>({ id: taskId });
        if (!row) return null;
        let next: Task;
        try {
          next = planUpdate(taskFromRow(row), fields, this.clock.now());
        } catch (error) {
          if (remembered) continue; // decided on a row that may be stale: decide again on a fresh read
          throw error;
        }
        const written = rowFromTask(next, row[ROW.seq], metadataJson ?? row[ROW.metadata], row[ROW.version] + 1);
        const changed = this.statements.writePlanned.run({
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
          version: row[ROW.version],
        }).changes;
        if (changed === 1) {
          if (!isTerminal(next.status)) this.remember(written);
          // A copy, never the caller's own metadata object, as for every task the pool returns.
          if (metadataJson !== undefined) next.metadata = JSON.parse(metadataJson);
          return next;
        }
      }
      throw new StorageError(
        `updateTask gave up on task ${taskId}: another writer changed it before each of ${MAX_UPDATE_ATTEMPTS} attempts. Retry, or find what rewrites it in a loop.`,
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
        ? this.filterStatement(valid, 'page', queries.selectFiltered).all<TaskRow>(named)
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
    const same = this.filterStatement(valid, 'same-priority', (f) => queries.selectAfter(f, 'same-priority'));
    const rows = same.all<TaskRow>({ ...keys, limit });
    if (limit !== -1 && rows.length >= limit) return rows;
    const lower = this.filterStatement(valid, 'lower-priority', (f) => queries.selectAfter(f, 'lower-priority'));
    return rows.concat(lower.all<TaskRow>({ ...keys, limit: limit === -1 ? -1 : limit - rows.length }));
  }

  /** The prepared statement for one filter shape and query kind, prepared on first use. */
  private filterStatement(
    valid: TaskFilter,
    kind: string,
    build: (filter: TaskFilter) => CompiledShape,
  ): PreparedQuery {
    const key = `${kind}:${queries.filterShapeKey(valid)}`;
    let statement = this.filterStatements.get(key);
    if (!statement) {
      statement = new PreparedQuery(this.db, build(valid));
      this.filterStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * Counts by status, in one snapshot. Pending is an index-only count over the claim index; the total
   * and the in-progress, completed, failed and cancelled counts are counters kept by triggers; claimed is
   * the rest. So the cost follows the queue, never the size of the history, and a claim writes no
   * counter.
   *
   * ### Examples
   * ```ts
   * const stats = pool.getStats();
   * console.log(`Progress: ${stats.completed}/${stats.total}`);
   * ```
   */
  getStats(): TaskStats {
    this.assertOpen('getStats');
    const { counters, pending } = this.guard('getStats', undefined, this.readStats);
    const stats = emptyStats();
    for (const [name, count] of counters) {
      if (name === 'total') stats.total = count;
      else stats[STATS_KEY[name as TaskStatus]] = count;
    }
    stats.pending = pending;
    stats.claimed = stats.total - pending - stats.inProgress - stats.completed - stats.failed - stats.cancelled;
    return stats;
  }

  /** `true` if the task existed and was deleted, `false` if there was no such task. */
  deleteTask(id: string): boolean {
    this.assertOpen('deleteTask');
    const taskId = validateTaskId(id);
    this.recentRows.delete(taskId);
    return this.guard('deleteTask', taskId, () => this.statements.deleteById.run({ id: taskId }).changes > 0);
  }

  /** Delete every task. Destructive and cannot be undone. */
  clearAll(): void {
    this.assertOpen('clearAll');
    this.recentRows.clear();
    this.guard('clearAll', undefined, () => this.statements.deleteAll.run());
  }

  /** Close the database. Later calls throw `StoreClosedError`; closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new StoreClosedError(operation);
  }

  /** Run storage work, turning driver errors into `StorageError`s that say what failed and what to do. */
  private guard<T>(operation: string, taskId: string | undefined, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (OmcError.isInstance(error)) throw error;
      const code = (error as { code?: string }).code;
      const advice =
        code === 'SQLITE_BUSY'
          ? ' Another process held the write lock longer than busyTimeoutMs; raise it or shorten long transactions.'
          : '';
      throw new StorageError(
        `${operation} failed in SQLite${taskId ? ` for task ${taskId}` : ''}: ${(error as Error).message}.${advice}`,
        { taskId, cause: error },
      );
    }
  }
}

/** Enough for every task a busy worker holds at once; each entry is a row of plain values. */
const MAX_REMEMBERED_ROWS = 256;
const MAX_REMEMBERED_ROW_CHARS = 16 * 1024;
/** Compare-and-set rounds before updateTask reports contention instead of spinning. */
const MAX_UPDATE_ATTEMPTS = 50;
