import {
  endedAs,
  OmcError,
  StorageError,
  type Task,
  type TaskFilter,
  type TaskLease,
  TaskStatus,
  type TaskTransition,
} from '@omc/core';
import type {
  ChangeSignalDriver,
  CheckedTaskRecord,
  ClaimRequest,
  DeletedTask,
  DependencyEnding,
  NewTaskRecord,
  ReclaimedTask,
  Steps,
  StoredTask,
  TaskCounts,
  TaskStoreDriver,
  VersionedWrite,
} from '@omc/core/driver';
import { runAsync } from '@omc/core/driver';
import { decidedWriteValues } from '@omc/sql-kit';
import type pg from 'pg';
import type { Connection } from './connection.js';
import { type Bindings, builderFor, type Statement } from './query-builder.js';
import type { TaskRow } from './schema.js';
import { filterShapeKey, selectTasks } from './sql/list.js';
import { type Statements, statementsFor } from './sql/statements.js';
import { type HistoryRow, num, storedFromRow, transitionFromRow } from './task-row.js';

/** Where a driver's statements go: the pool (each statement on its own), or one client inside a transaction. */
interface Executor {
  readonly inTransaction: boolean;
  run<R extends pg.QueryResultRow>(statement: Statement, values: Bindings): Promise<pg.QueryResult<R>>;
  /** Plain SQL without parameters (BEGIN, SAVEPOINT…). */
  command(text: string): Promise<void>;
}

function queryOf(statement: Statement, values: Bindings): pg.QueryConfig {
  // A name per statement text: pg prepares it once per connection and reuses it.
  return { name: statement.name, text: statement.text, values: statement.values(values) };
}

class PoolExecutor implements Executor {
  readonly inTransaction = false;
  constructor(private readonly connection: Connection) {}

  async run<R extends pg.QueryResultRow>(statement: Statement, values: Bindings): Promise<pg.QueryResult<R>> {
    if (!this.connection.ready) await this.connection.open();
    return this.connection.pool.query<R>(queryOf(statement, values));
  }

  async command(text: string): Promise<void> {
    if (!this.connection.ready) await this.connection.open();
    await this.connection.pool.query(text);
  }
}

class ClientExecutor implements Executor {
  readonly inTransaction = true;
  savepoints = 0;
  constructor(private readonly client: pg.PoolClient) {}

  run<R extends pg.QueryResultRow>(statement: Statement, values: Bindings): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(queryOf(statement, values));
  }

  async command(text: string): Promise<void> {
    await this.client.query(text);
  }
}

/** SQLSTATEs after which a whole transaction may run again: it was rolled back and wrote nothing. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_TRANSACTION_ATTEMPTS = 10;

const NO_VALUES: Bindings = {};
const CANCELLED_ENDING = endedAs(TaskStatus.CANCELLED);

function ignoreClientError(): void {}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}

/** Values of a history row for the statements that take one (`$historyFrom` null: no row). */
function historyValues(transition: TaskTransition | undefined): Record<string, unknown> {
  return {
    historyFrom: transition?.from ?? null,
    historyTo: transition?.to ?? null,
    historyAgent: transition?.agent ?? null,
    historyAttempt: transition?.attempt ?? null,
    historyAt: transition?.at ?? null,
    historyReason: transition?.reason ?? null,
  };
}

/** A new task's own columns (NEW_TASK_COLUMNS), for the plain and the checked insert. */
function newTaskValues(task: Task, metadataJson: string | undefined): Record<string, unknown> {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    priority: task.priority,
    created_at: task.createdAt,
    metadata: metadataJson ?? null,
    max_attempts: task.maxAttempts,
    run_at: task.runAt ?? null,
    lease_ms: task.leaseMs ?? null,
    timeout_ms: task.timeoutMs ?? null,
    requires: task.requires ?? null,
  };
}

/**
 * The PostgreSQL driver of core's one `TaskStore` implementation: every statement compiled once by
 * Kysely for the pool's schema (one module per operation in `sql/`) and run by `pg` as a named prepared
 * statement. It persists what the store decided; the rules live in core. Outside a transaction each
 * statement runs on its own (autocommit); {@link transaction} holds one client for its work.
 * @internal
 */
export class PostgresDriver implements TaskStoreDriver {
  readonly mode = 'async' as const;
  private readonly statements: Statements;
  private readonly listStatements: Map<string, Statement>;

  constructor(
    readonly connection: Connection,
    readonly changes: ChangeSignalDriver,
    private readonly exec: Executor = new PoolExecutor(connection),
    shared?: { statements: Statements; listStatements: Map<string, Statement> },
  ) {
    this.statements = shared?.statements ?? statementsFor(connection.schema);
    this.listStatements = shared?.listStatements ?? new Map();
  }

  /** Connect and migrate now (what `PostgresTaskPool.open` waits for). */
  open(): Promise<void> {
    return this.connection.open();
  }

  translateError(error: unknown, operation: string, taskId: string | undefined): unknown {
    if (OmcError.isInstance(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    const code = sqlState(error);
    return new StorageError(
      `${operation}${taskId === undefined ? '' : ` of task ${taskId}`} failed on ${this.connection.where}` +
        `${code === undefined ? '' : ` (${code})`}: ${message}. Check that PostgreSQL is reachable, then retry.`,
      { taskId, cause: error },
    );
  }

  private async rows<R extends pg.QueryResultRow>(statement: Statement, values: Bindings = NO_VALUES): Promise<R[]> {
    return (await this.exec.run<R>(statement, values)).rows;
  }

  async getTask(id: string): Promise<StoredTask | null> {
    const row = (await this.rows<TaskRow>(this.statements.selectTask, { id }))[0];
    return row ? storedFromRow(row) : null;
  }

  async getTaskByIdempotencyKey(key: string): Promise<StoredTask | null> {
    // Inside a checked insert: hold the key until the transaction ends, so one key makes one task.
    if (this.exec.inTransaction) {
      await this.rows(this.statements.lockIdempotencyKey, { lockKey: `${this.connection.schema}:${key}` });
    }
    const row = (await this.rows<TaskRow>(this.statements.selectByIdempotencyKey, { key }))[0];
    return row ? storedFromRow(row) : null;
  }

  async getStatuses(ids: readonly string[]): Promise<Map<string, TaskStatus>> {
    const statement = this.exec.inTransaction ? this.statements.selectStatusesLocked : this.statements.selectStatuses;
    const rows = await this.rows<{ id: string; status: TaskStatus }>(statement, { ids });
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  async listTasks(filter: TaskFilter): Promise<Task[] | null> {
    const key = filterShapeKey(filter);
    let statement = this.listStatements.get(key);
    if (!statement) {
      statement = selectTasks(builderFor(this.connection.schema), filter);
      this.listStatements.set(key, statement);
    }
    const values = {
      assignedAgent: filter.assignedAgent,
      priority: filter.priority,
      limit: filter.limit,
      offset: filter.offset,
      after: filter.after,
    };
    const rows = await this.rows<TaskRow & { cursor_found?: boolean }>(statement, values);
    if (filter.after === undefined) return rows.map((row) => storedFromRow(row).task);
    if (rows[0]?.cursor_found !== true) return null;
    return rows.filter((row) => row.seq !== null).map((row) => storedFromRow(row).task);
  }

  async countTasks(): Promise<TaskCounts> {
    const row = (await this.rows<Record<string, unknown>>(this.statements.selectCounts))[0] ?? {};
    return {
      total: num(row.total),
      pending: num(row.pending),
      held: num(row.held),
      inProgress: num(row.in_progress),
      failed: num(row.failed),
      cancelled: num(row.cancelled),
    };
  }

  async getHistory(id: string): Promise<TaskTransition[]> {
    return (await this.rows<HistoryRow>(this.statements.selectHistory, { id })).map(transitionFromRow);
  }

  async insertTasks(records: readonly NewTaskRecord[]): Promise<'inserted' | 'id_taken'> {
    if (records.length === 0) return 'inserted';
    if (records.length === 1) {
      const { task, metadataJson } = records[0] as NewTaskRecord;
      const result = await this.exec.run(this.statements.insertTask, newTaskValues(task, metadataJson));
      return result.rowCount === 1 ? 'inserted' : 'id_taken';
    }
    const columns: Record<string, unknown[]> = {};
    for (const name of Object.keys(newTaskValues(records[0]?.task as Task, undefined))) columns[`${name}s`] = [];
    for (const { task, metadataJson } of records) {
      const values = newTaskValues(task, metadataJson);
      for (const name in values) (columns[`${name}s`] as unknown[]).push(values[name]);
    }
    // Arrays of arrays would be flattened: each task's requires travels as JSON text.
    columns.requiress = records.map(({ task }) => (task.requires === undefined ? null : JSON.stringify(task.requires)));
    // Inside a transaction a failed statement would abort it: a savepoint keeps the refusal local.
    const savepoint = this.exec.inTransaction;
    if (savepoint) await this.exec.command('savepoint omc_insert');
    try {
      await this.exec.run(this.statements.insertTasks, columns);
    } catch (error) {
      if (savepoint) await this.exec.command('rollback to savepoint omc_insert');
      if (sqlState(error) === '23505') return 'id_taken';
      throw error;
    }
    if (savepoint) await this.exec.command('release savepoint omc_insert');
    return 'inserted';
  }

  async insertCheckedTask({ task, metadataJson, transition, waitingOn }: CheckedTaskRecord): Promise<void> {
    await this.exec.run(this.statements.insertCheckedTask, {
      ...newTaskValues(task, metadataJson),
      status: task.status,
      updated_at: task.updatedAt,
      error: task.error ?? null,
      idempotency_key: task.idempotencyKey ?? null,
      depends_on: task.dependsOn ?? null,
      waitingOn,
      ...historyValues(transition),
    });
  }

  async upkeepDue(now: number): Promise<{ expired: boolean; due: boolean }> {
    const row = (await this.rows<{ expired: boolean; due: boolean }>(this.statements.upkeepDue, { now }))[0];
    return { expired: row?.expired === true, due: row?.due === true };
  }

  async reclaimExpired(now: number): Promise<ReclaimedTask[]> {
    const rows = await this.rows<{ id: string; status: TaskStatus; has_dependants: boolean }>(
      this.statements.reclaimExpired,
      { now },
    );
    return rows.map((row) => ({ id: row.id, status: row.status, hasDependants: row.has_dependants }));
  }

  async promoteDue(now: number): Promise<void> {
    await this.exec.run(this.statements.promoteDue, { now });
  }

  async claimReady({ agent, now, leaseMs, limit, capabilities, exclusive }: ClaimRequest): Promise<StoredTask[]> {
    const statement =
      capabilities === undefined
        ? this.statements.claimAny
        : exclusive
          ? this.statements.claimExclusive
          : this.statements.claimWithin;
    const rows = await this.rows<TaskRow>(statement, {
      agent,
      now,
      leaseMs,
      limit,
      capabilities: capabilities ?? null,
    });
    return rows.map(storedFromRow);
  }

  async claimUnlessUpkeepDue(
    request: ClaimRequest,
  ): Promise<{ claimed: StoredTask[]; expired: boolean; due: boolean }> {
    const { agent, now, leaseMs, limit, capabilities, exclusive } = request;
    const statement =
      capabilities === undefined
        ? this.statements.guardedClaimAny
        : exclusive
          ? this.statements.guardedClaimExclusive
          : this.statements.guardedClaimWithin;
    const rows = await this.rows<TaskRow & { upkeep_expired: boolean; upkeep_due: boolean }>(statement, {
      agent,
      now,
      leaseMs,
      limit,
      capabilities: capabilities ?? null,
    });
    const first = rows[0];
    // One row with null task columns when nothing was claimed.
    const claimed = first === undefined || first.id === null ? [] : rows.map(storedFromRow);
    return { claimed, expired: first?.upkeep_expired === true, due: first?.upkeep_due === true };
  }

  async startHeldAll(leases: readonly TaskLease[], now: number): Promise<boolean[]> {
    const rows = await this.rows<{ id: string }>(this.statements.startHeldAll, {
      ids: leases.map((lease) => lease.id),
      leaseTokens: leases.map((lease) => lease.leaseToken),
      now,
    });
    const written = new Set(rows.map((row) => row.id));
    return leases.map((lease) => written.has(lease.id));
  }

  /**
   * The common group (no task waits for any of its tasks) is one statement. The rest (tasks with
   * dependants, or refused ones, to be sure) are completed by a second and their dependants released
   * by a third, in one transaction: the release is its own statement so that it sees a dependant
   * created while the completion held the row (READ COMMITTED).
   */
  async completeHeldAll(
    items: readonly (TaskLease & { result: string | undefined })[],
    now: number,
  ): Promise<boolean[]> {
    const values = (group: readonly (TaskLease & { result: string | undefined })[]) => ({
      ids: group.map((item) => item.id),
      leaseTokens: group.map((item) => item.leaseToken),
      results: group.map((item) => item.result ?? null),
      now,
    });
    if (!this.exec.inTransaction) {
      const rows = await this.rows<{ id: string }>(this.statements.completeAllWithoutDependants, values(items));
      if (rows.length === items.length) return items.map(() => true);
      const written = new Set(rows.map((row) => row.id));
      const rest = items.filter((item) => !written.has(item.id));
      const restWritten = await this.atomically((tx) => tx.completeHeldAll(rest, now));
      rest.forEach((item, i) => {
        if (restWritten[i]) written.add(item.id);
      });
      return items.map((item) => written.has(item.id));
    }
    const rows = await this.rows<{ id: string; has_dependants: boolean }>(
      this.statements.completeAllAny,
      values(items),
    );
    const released = rows.filter((row) => row.has_dependants).map((row) => row.id);
    if (released.length > 0) await this.exec.run(this.statements.releaseDependantsOfAll, { ids: released, now });
    const written = new Set(rows.map((row) => row.id));
    return items.map((item) => written.has(item.id));
  }

  async startHeld(lease: TaskLease, now: number): Promise<boolean> {
    const rows = await this.rows<{ written: unknown }>(this.statements.startHeld, {
      id: lease.id,
      leaseToken: lease.leaseToken,
      now,
    });
    return num(rows[0]?.written) > 0;
  }

  async heartbeatHeld(lease: TaskLease, now: number, leaseMs: number): Promise<number | undefined> {
    const rows = await this.rows<{ lease_expires_at: unknown }>(this.statements.heartbeatHeld, {
      id: lease.id,
      leaseToken: lease.leaseToken,
      now,
      leaseMs,
    });
    return rows[0] === undefined ? undefined : num(rows[0].lease_expires_at);
  }

  /**
   * The common completion (no task waits for it) is one statement. One with dependants (or a refused
   * one, to be sure) is completed and its dependants released by a second statement, in one transaction.
   */
  async completeHeld(lease: TaskLease, now: number, result: string | undefined): Promise<boolean> {
    const values = { id: lease.id, leaseToken: lease.leaseToken, now, result: result ?? null };
    if (!this.exec.inTransaction) {
      if ((await this.rows(this.statements.completeWithoutDependants, values)).length === 1) return true;
      return this.atomically((tx) => tx.completeHeld(lease, now, result));
    }
    const row = (await this.rows<{ has_dependants: boolean }>(this.statements.completeAny, values))[0];
    if (!row) return false;
    if (row.has_dependants) await this.exec.run(this.statements.releaseDependants, { id: lease.id, now });
    return true;
  }

  async writeIfVersion(write: VersionedWrite): Promise<boolean> {
    const { next, transition, recount, dependants } = write;
    const values = { ...decidedWriteValues(write, recount, null), ...historyValues(transition) };
    if (dependants === undefined && !recount) {
      return (await this.rows(this.statements.writePlanned, values)).length === 1;
    }
    return this.atomically(async (tx) => {
      if (recount) await tx.exec.run(tx.statements.lockDependencies, { id: next.id });
      if ((await tx.rows(tx.statements.writePlanned, values)).length !== 1) return false;
      if (dependants === 'release') {
        await tx.exec.run(tx.statements.releaseDependants, { id: next.id, now: next.updatedAt });
      } else if (dependants !== undefined) {
        await tx.cancelDependants(next.id, dependants, next.updatedAt);
      }
      return true;
    });
  }

  /** Level by level from the root, each level one statement, until a level cancels nothing. */
  async cancelDependants(id: string, ending: DependencyEnding, now: number): Promise<void> {
    if (!this.exec.inTransaction) return this.atomically((tx) => tx.cancelDependants(id, ending, now));
    let frontier = [id];
    let levelEnding: string = ending;
    while (frontier.length > 0) {
      const rows = await this.rows<{ id: string }>(this.statements.cancelDependantsLevel, {
        frontier,
        ending: levelEnding,
        now,
      });
      frontier = rows.map((row) => row.id);
      levelEnding = CANCELLED_ENDING;
    }
  }

  async deleteTask(id: string): Promise<DeletedTask | null> {
    const row = (
      await this.rows<{ status: TaskStatus; has_dependants: boolean; depends_on: string[] | null }>(
        this.statements.deleteTask,
        { id },
      )
    )[0];
    if (!row) return null;
    return { id, status: row.status, hasDependants: row.has_dependants, dependsOn: row.depends_on ?? undefined };
  }

  async dropEdges(deleted: DeletedTask): Promise<void> {
    await this.exec.run(this.statements.dropEdges, { id: deleted.id });
  }

  async clearAll(): Promise<void> {
    await this.exec.run(this.statements.clearAll, NO_VALUES);
  }

  transaction<T>(work: (tx: TaskStoreDriver) => Steps<T>): Promise<T> {
    if (this.exec.inTransaction) return this.withSavepoint(() => runAsync(work(this)));
    return this.atomically((tx) => runAsync(work(tx)));
  }

  /** Inside a transaction: `work` as a savepoint, rolled back alone when it throws. */
  private async withSavepoint<T>(work: () => Promise<T>): Promise<T> {
    const exec = this.exec as ClientExecutor;
    const name = `omc_nested_${++exec.savepoints}`;
    await exec.command(`savepoint ${name}`);
    try {
      const result = await work();
      await exec.command(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await exec.command(`rollback to savepoint ${name}`);
      throw error;
    }
  }

  /**
   * Run `work` in a transaction on one client of the pool (READ COMMITTED: each statement sees what
   * committed before it began; the statements lock what they decide on). A deadlock or serialisation
   * failure rolled the whole transaction back, so it runs again, up to a few times. Inside a
   * transaction already, `work` joins it.
   */
  private async atomically<T>(work: (tx: PostgresDriver) => Promise<T>): Promise<T> {
    if (this.exec.inTransaction) return work(this);
    const { connection } = this;
    if (!connection.ready) await connection.open();
    for (let attempt = 1; ; attempt++) {
      const client = await connection.pool.connect();
      // A checked-out client whose backend dies between statements emits 'error'; unheard, that would
      // end the process. The next statement on it fails, and that failure is what the caller sees.
      client.on('error', ignoreClientError);
      const tx = new PostgresDriver(connection, this.changes, new ClientExecutor(client), {
        statements: this.statements,
        listStatements: this.listStatements,
      });
      let broken = false;
      try {
        await client.query('begin');
        const result = await work(tx);
        await client.query('commit');
        return result;
      } catch (error) {
        try {
          await client.query('rollback');
        } catch {
          broken = true;
        }
        if (RETRYABLE.has(sqlState(error) ?? '') && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        throw error;
      } finally {
        client.off('error', ignoreClientError);
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
