import {
  ReadOnlyDatabaseError,
  type Task,
  type TaskFilter,
  type TaskLease,
  TaskStatus,
  type TaskTransition,
} from '@omc/core';
import {
  type CheckedTaskRecord,
  type ClaimRequest,
  type DeletedTask,
  type DependencyEnding,
  type NewTaskRecord,
  type ReclaimedTask,
  runSync,
  type Steps,
  type StoredTask,
  type TaskCounts,
  type TaskStoreDriver,
  type VersionedWrite,
} from '@omc/core/driver';
import { decidedWriteValues } from '@omc/sql-kit';
import type Database from 'better-sqlite3';
import { ChangeSignal } from './change-signal.js';
import { DatabaseHealth } from './database-health.js';
import { decodeHistory, encodeHistoryLine } from './history-codec.js';
import { openDatabase } from './open-database.js';
import type { ResolvedPoolOptions } from './pool-options.js';
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
import { storedFromRow } from './task-row.js';

/** What a `readOnly` pool may do; anything else would write. */
const READ_OPERATIONS = new Set(['getTask', 'getTasks', 'getStats', 'getTaskHistory', 'checkIntegrity']);

/**
 * The SQLite driver of core's one `TaskStore` implementation: better-sqlite3, synchronous, every
 * statement compiled once by Kysely (one module per operation in `sql/`) and prepared once. It persists
 * what the store decided; the rules live in core.
 * @internal
 */
export class SqliteDriver implements TaskStoreDriver {
  readonly mode = 'sync' as const;
  /** The better-sqlite3 handle; the pool exposes it as `pool['db']` for the guide's raw-SQL examples. */
  readonly db: Database.Database;
  readonly changes: ChangeSignal;
  private readonly path: string;
  private readonly readOnly: boolean;
  private readonly health: DatabaseHealth;
  private readonly statements;
  private readonly filterStatements = new Map<string, PreparedQuery>();
  /** Run `work` in an IMMEDIATE transaction (a savepoint inside one already open). */
  private readonly inTransaction: <T>(work: () => T) => T;
  /** Run `work` in a read transaction: one snapshot for several reads. */
  private readonly inSnapshot: <T>(work: () => T) => T;

  constructor(dbPath: string, options: ResolvedPoolOptions) {
    this.path = dbPath;
    this.readOnly = options.readOnly;
    this.db = openDatabase(dbPath, {
      busyTimeoutMs: options.busyTimeoutMs,
      synchronous: options.synchronous,
      readOnly: options.readOnly,
      checkIntegrityOnOpen: options.checkIntegrityOnOpen,
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
    const transaction = this.db.transaction((work: () => unknown) => work());
    this.inTransaction = <T>(work: () => T) => transaction.immediate(work) as T;
    this.inSnapshot = <T>(work: () => T) => transaction.deferred(work) as T;
    const inMemory = dbPath === ':memory:' || dbPath === '';
    const dataVersion = this.db.prepare('pragma data_version').pluck();
    this.changes = new ChangeSignal(inMemory ? undefined : () => dataVersion.get() as number, options.changePollMs);
  }

  beforeOperation(operation: string, taskId: string | undefined): void {
    if (this.readOnly && !READ_OPERATIONS.has(operation)) {
      throw new ReadOnlyDatabaseError(
        this.path,
        'opened_read_only',
        `Cannot ${operation}${taskId === undefined ? '' : ` task ${taskId}`}: this pool opened ${this.path} with ` +
          'readOnly: true; nothing was written. Open another pool without readOnly to change tasks.',
        { taskId },
      );
    }
    this.health.beforeOperation(operation);
  }

  translateError(error: unknown, operation: string, taskId: string | undefined): unknown {
    return this.health.translate(error, operation, taskId);
  }

  getTask(id: string): StoredTask | null {
    const row = this.statements.selectById.get<TaskRow>({ id });
    return row ? storedFromRow(row) : null;
  }

  getTaskByIdempotencyKey(idempotencyKey: string): StoredTask | null {
    const row = this.statements.selectByKey.get<TaskRow>({ idempotencyKey });
    return row ? storedFromRow(row) : null;
  }

  getStatuses(ids: readonly string[]): Map<string, TaskStatus> {
    return new Map(this.statements.statusesOf.all<[string, TaskStatus]>({ ids: JSON.stringify(ids) }));
  }

  listTasks(filter: TaskFilter): Task[] | null {
    const named: Record<string, unknown> = {};
    if (filter.status !== undefined && filter.status !== TaskStatus.PENDING) named.status = filter.status;
    if (filter.assignedAgent !== undefined) named.assignedAgent = filter.assignedAgent;
    if (filter.priority !== undefined) named.priority = filter.priority;
    if (filter.limit !== undefined) named.limit = filter.limit;
    if (filter.offset !== undefined) named.offset = filter.offset;
    const after = filter.after;
    const rows =
      after === undefined
        ? this.filterStatement(filter, 'page', selectFiltered).all<TaskRow>(named)
        : this.inSnapshot(() => this.readAfter(filter, after, named));
    return rows === null ? null : rows.map((row) => storedFromRow(row).task);
  }

  /** Keyset paging: the rest of the cursor's priority, then lower priorities. `null`: no such cursor. */
  private readAfter(filter: TaskFilter, after: string, named: Record<string, unknown>): TaskRow[] | null {
    const cursor = this.statements.selectById.get<TaskRow>({ id: after });
    if (!cursor) return null;
    const limit = filter.limit ?? -1;
    const keys = {
      ...named,
      cursorPriority: cursor[ROW.priority],
      cursorCreatedAt: cursor[ROW.createdAt],
      cursorSeq: cursor[ROW.seq],
    };
    const same = this.filterStatement(filter, 'same-priority', (f) => selectAfter(f, 'same-priority'));
    const rows = same.all<TaskRow>({ ...keys, limit });
    if (limit !== -1 && rows.length >= limit) return rows;
    const lower = this.filterStatement(filter, 'lower-priority', (f) => selectAfter(f, 'lower-priority'));
    return rows.concat(lower.all<TaskRow>({ ...keys, limit: limit === -1 ? -1 : limit - rows.length }));
  }

  /** The prepared statement for one filter shape and query kind, prepared on first use. */
  private filterStatement(filter: TaskFilter, kind: string, build: (filter: TaskFilter) => CompiledShape) {
    const key = `${kind}:${filterShapeKey(filter)}`;
    let statement = this.filterStatements.get(key);
    if (!statement) {
      statement = new PreparedQuery(this.db, build(filter));
      this.filterStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * Counts in one snapshot. Pending is an index-only count over the claim, delayed and waiting indexes,
   * claimed and in-progress one over the lease index; the total, failed and cancelled are counters kept
   * by triggers. So the cost follows the queue and the live work, never the size of the history, and
   * claiming, starting and completing write no counter.
   */
  countTasks(): TaskCounts {
    return this.inSnapshot(() => {
      const counts: TaskCounts = { total: 0, pending: 0, held: 0, inProgress: 0, failed: 0, cancelled: 0 };
      for (const [name, count] of this.statements.counts.all<[name: string, count: number]>()) {
        if (name === 'total' || name === 'failed' || name === 'cancelled') counts[name] = count;
      }
      counts.pending = (this.statements.countPending.get<[count: number]>() as [number])[0];
      const held = this.statements.countHeld.get<[number, number]>() as [number, number];
      counts.held = held[0];
      counts.inProgress = held[1];
      return counts;
    });
  }

  getHistory(id: string): TaskTransition[] {
    const row = this.statements.history.get<[history: string | null, createdAt: number]>({ id });
    return row ? decodeHistory(row[0], id, row[1]) : [];
  }

  /**
   * One task: a plain INSERT. More: one INSERT … SELECT over a JSON array of the rows. Either way a
   * single statement, so the batch goes in whole or not at all without an explicit transaction.
   */
  insertTasks(records: readonly NewTaskRecord[]): 'inserted' | 'id_taken' {
    try {
      // A record has the input's metadataJson itself, so it is passed as the input: no wrapper per task.
      if (records.length === 1) {
        const record = records[0] as NewTaskRecord;
        this.statements.insert.run(newTaskBindings(record.task, record));
      } else if (records.length > 1) {
        const rows = records.map((record) => newTaskRow(record.task, record));
        this.statements.insertFromJson.run({ rows: JSON.stringify(rows), now: records[0]?.task.createdAt });
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'id_taken';
      throw error;
    }
    return 'inserted';
  }

  insertCheckedTask({ task, metadataJson, transition, waitingOn }: CheckedTaskRecord): void {
    this.statements.insertFull.run({
      ...newTaskBindings(task, { metadataJson }),
      status: task.status,
      updatedAt: task.updatedAt,
      error: task.error ?? null,
      history: transition === undefined ? null : encodeHistoryLine(transition, task.createdAt),
      idempotencyKey: task.idempotencyKey ?? null,
      dependsOn: task.dependsOn === undefined ? null : JSON.stringify(task.dependsOn),
      waitingOn: waitingOn.length,
    });
    if (waitingOn.length > 0) {
      const ids = JSON.stringify(waitingOn);
      this.statements.insertDependencies.run({ ids, taskId: task.id });
      this.statements.markHasDependants.run({ ids });
    }
  }

  upkeepDue(now: number): { expired: boolean; due: boolean } {
    // Indexed, not destructured: array destructuring runs the iterator protocol (measured: µs a call).
    const due = this.statements.upkeepDue.get<[number | null, number | null]>({ now }) as [
      number | null,
      number | null,
    ];
    return { expired: due[0] !== null, due: due[1] !== null };
  }

  reclaimExpired(now: number): ReclaimedTask[] {
    return this.statements.reclaimExpired
      .all<[status: TaskStatus, id: string, hasDependants: number]>({ now })
      .map(([status, id, hasDependants]) => ({ id, status, hasDependants: hasDependants === 1 }));
  }

  promoteDue(now: number): void {
    this.statements.promoteDue.run({ now });
  }

  /** The statement for the request: one task, a batch, within capabilities, or exclusive. */
  claimReady({ agent, now, leaseMs, limit, capabilities, exclusive }: ClaimRequest): StoredTask[] {
    const values = { agent, now, leaseMs, limit };
    let rows: TaskRow[];
    if (capabilities === undefined) {
      if (limit === 1) {
        const row = this.statements.claim.get<TaskRow>(values);
        return row ? [storedFromRow(row)] : [];
      }
      rows = this.statements.claimBatch.all<TaskRow>(values);
    } else {
      const statement = exclusive ? this.statements.claimBatchExclusive : this.statements.claimBatchWithin;
      rows = statement.all<TaskRow>({ ...values, capabilities: JSON.stringify(capabilities) });
    }
    return rows.map(storedFromRow);
  }

  startHeld(lease: TaskLease, now: number): boolean {
    return this.statements.start.run({ id: lease.id, leaseToken: lease.leaseToken, now }).changes === 1;
  }

  heartbeatHeld(lease: TaskLease, now: number, leaseMs: number): number | undefined {
    const values = { id: lease.id, leaseToken: lease.leaseToken, now, leaseMs };
    return this.statements.heartbeat.get<[number]>(values)?.[0];
  }

  /**
   * The common completion (no task waits for it) is one statement; one that has dependants is
   * completed with their release in one transaction, so no completion touches a dependency page it
   * does not need.
   */
  completeHeld(lease: TaskLease, now: number, result: string | undefined): boolean {
    const values = { id: lease.id, leaseToken: lease.leaseToken, now, result: result ?? null };
    if (this.statements.complete.run(values).changes === 1) return true;
    return this.inTransaction(() => {
      if (this.statements.completeWithDependants.run(values).changes === 0) return false;
      this.statements.releaseDependants.run({ id: lease.id, now });
      return true;
    });
  }

  writeIfVersion(planned: VersionedWrite): boolean {
    const { next, transition, recount, dependants } = planned;
    const historyLine = transition === undefined ? null : encodeHistoryLine(transition, next.createdAt);
    const values = decidedWriteValues(planned, recount ? 1 : 0, historyLine);
    const write = () => {
      if (this.statements.writePlanned.run(values).changes !== 1) return false;
      if (dependants === 'release') this.statements.releaseDependants.run({ id: next.id, now: next.updatedAt });
      else if (dependants !== undefined) this.cancelDependants(next.id, dependants, next.updatedAt);
      return true;
    };
    // The write and what it does to dependants in one transaction. The flag was read with the row, and a
    // dependant created since bumped the version, so the compare-and-set refuses a write planned without it.
    return dependants === undefined ? write() : this.inTransaction(write);
  }

  cancelDependants(id: string, ending: DependencyEnding, now: number): void {
    this.statements.cancelDependants.run({ id, ending, now });
  }

  deleteTask(id: string): DeletedTask | null {
    const row = this.statements.deleteReturning.get<
      [status: TaskStatus, hasDependants: number, dependsOn: string | null]
    >({ id });
    if (!row) return null;
    const [status, hasDependants, dependsOn] = row;
    return {
      id,
      status,
      hasDependants: hasDependants === 1,
      dependsOn: dependsOn === null ? undefined : JSON.parse(dependsOn),
    };
  }

  dropEdges({ id, hasDependants, dependsOn }: DeletedTask): void {
    if (hasDependants) this.statements.deleteEdgesFrom.run({ id });
    if (dependsOn !== undefined) this.statements.deleteEdgesTo.run({ id, dependsOn: JSON.stringify(dependsOn) });
  }

  clearAll(): void {
    this.inTransaction(() => {
      this.statements.deleteAll.run();
      this.statements.deleteAllEdges.run();
    });
  }

  transaction<T>(work: (tx: TaskStoreDriver) => Steps<T>): T {
    return this.inTransaction(() => runSync(work(this)));
  }

  close(): void {
    this.db.close();
  }
}
