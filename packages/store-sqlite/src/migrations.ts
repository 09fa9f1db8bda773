import { DEFAULT_LEASE_POLICY, TASK_STATUSES, TaskStatus } from '@omc/core';
import { type ColumnDefinitionBuilder, sql } from 'kysely';
import { historyPlusLine } from './history-codec.js';
import { builder } from './query-builder.js';
import { heldStatus } from './schema.js';

/**
 * One schema step. Migrations are append-only and numbered: never edit a released one, add the next.
 * Each is compiled to SQL text at load time (no file reads at run time).
 * @internal
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

/** What schema 1 counted in `task_counts` (released: never change it). */
const V1_COUNTED_STATUSES = [
  TaskStatus.IN_PROGRESS,
  TaskStatus.COMPLETED,
  TaskStatus.FAILED,
  TaskStatus.CANCELLED,
] as const;

/**
 * The statuses `task_counts` counts since schema 2, besides the total. PENDING is counted from its two
 * indexes, CLAIMED and IN_PROGRESS from the lease index, and COMPLETED is what is left of the total: so
 * the happy path (claim, start, complete) writes no counter at all.
 * @internal
 */
export const COUNTED_STATUSES = [TaskStatus.FAILED, TaskStatus.CANCELLED] as const;

// Checks are OR chains, not IN lists: SQLite evaluates an IN list of three or more constants through a
// temporary B-tree, built and freed on every write that touches the column (measured: a quarter of the
// instructions of a claim→complete cycle went to creating and clearing those).
const knownStatus = sql.join(
  TASK_STATUSES.map((status) => sql`status = ${sql.lit(status)}`),
  sql` or `,
);
const uncounted = sql`(${sql.lit(TaskStatus.PENDING)}, ${sql.lit(TaskStatus.CLAIMED)})`;

function text(query: { compile(): { sql: string } }): string {
  return query.compile().sql;
}

/** Raw SQL for what Kysely's schema builder cannot express (triggers, seeding). */
function raw(query: ReturnType<typeof sql>): string {
  return query.compile(builder).sql;
}

const v1: Migration = {
  version: 1,
  name: 'tasks table, claim and listing indexes, status counters',
  statements: [
    text(
      builder.schema
        .createTable('tasks')
        // INTEGER PRIMARY KEY aliases the rowid: above every existing row on insert, stable under VACUUM.
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(knownStatus))
        .addColumn('priority', 'integer', (c) =>
          c.notNull().check(sql`typeof(priority) = 'integer' and priority between 0 and 3`),
        )
        .addColumn('assigned_agent', 'text')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'integer')
        .addColumn('completed_at', 'integer')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('metadata', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)),
    ),
    // Raw SQL that changes a row without bumping its version (the guide's examples) gets it bumped here,
    // so the pool's compare-and-set on the version never mistakes a changed row for the one it read.
    raw(sql`create trigger tasks_version_bump after update on tasks when new.version = old.version begin
      update tasks set version = old.version + 1 where seq = new.seq;
    end`),
    // The claim order over pending tasks only: a claim reads the first entry, whatever the history holds
    // and however many tasks wait. The rowid (seq) ends every entry: the FIFO tie-break comes free.
    // Indexes over every row's status or agent (the guide's idx_status, idx_assigned_agent) would be
    // rewritten on every transition; measured, they halved claim→complete throughput.
    text(
      builder.schema
        .createIndex('idx_tasks_claim')
        .on('tasks')
        .columns(['priority desc', 'created_at'])
        .where(sql.ref('status'), '=', sql.lit(TaskStatus.PENDING)),
    ),
    // The listing order over every row. Priority and creation time never change, so only inserts pay.
    text(builder.schema.createIndex('idx_priority').on('tasks').columns(['priority desc', 'created_at'])),
    text(
      builder.schema
        .createTable('task_counts')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .modifyEnd(sql`without rowid`),
    ),
    raw(
      sql`insert into task_counts (name, count) values ${sql.join(
        ['total', ...V1_COUNTED_STATUSES].map((name) => sql`(${sql.lit(name)}, 0)`),
      )}`,
    ),
    // Triggers, not pool code, keep the counts, so raw SQL (the guide's archive example) stays counted.
    // The total and the per-status counts are separate triggers: a false WHEN costs almost nothing,
    // while one UPDATE matching either of two names cost a measurable µs per inserted row.
    raw(sql`create trigger task_counts_insert after insert on tasks begin
      update task_counts set count = count + 1 where name = 'total';
    end`),
    raw(sql`create trigger task_counts_insert_status after insert on tasks when new.status not in ${uncounted} begin
      update task_counts set count = count + 1 where name = new.status;
    end`),
    raw(sql`create trigger task_counts_delete after delete on tasks begin
      update task_counts set count = count - 1 where name = 'total';
    end`),
    raw(sql`create trigger task_counts_delete_status after delete on tasks when old.status not in ${uncounted} begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    // Leaving and entering a counted status are separate triggers, so claimed → completed runs one
    // counter update, not a second one that would match no row.
    raw(sql`create trigger task_counts_update_from after update of status on tasks
      when old.status <> new.status and old.status not in ${uncounted}
    begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    raw(sql`create trigger task_counts_update_to after update of status on tasks
      when old.status <> new.status and new.status not in ${uncounted}
    begin
      update task_counts set count = count + 1 where name = new.status;
    end`),
  ],
};

function addColumn(
  name: string,
  type: 'integer' | 'text',
  build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder = (column) => column,
): string {
  return text(builder.schema.alterTable('tasks').addColumn(name, type, build));
}

/** Whether a status expression is one `task_counts` counts (an OR chain, see knownStatus). */
function counted(column: 'status' | 'new.status' | 'old.status') {
  return sql<boolean>`(${sql.join(
    COUNTED_STATUSES.map((status) => sql`${sql.raw(column)} = ${sql.lit(status)}`),
    sql` or `,
  )})`;
}

const running = heldStatus();

/** Now in epoch ms, for triggers: raw SQL has no pool clock. */
const wallClockMs = sql`cast(unixepoch('subsec') * 1000 as integer)`;

const v2: Migration = {
  version: 2,
  name: 'leases, fencing tokens, attempts, delays, timeouts, idempotency keys, status history',
  statements: [
    addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)),
    // Tasks from before leases get the default attempts, so one whose holder died before the upgrade is
    // retried rather than failed when its new lease runs out.
    addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(DEFAULT_LEASE_POLICY.maxAttempts)),
    addColumn('run_at', 'integer'),
    addColumn('lease_token', 'integer', (c) => c.notNull().defaultTo(0)),
    addColumn('lease_expires_at', 'integer'),
    addColumn('lease_ms', 'integer'),
    addColumn('timeout_ms', 'integer'),
    addColumn('idempotency_key', 'text'),
    addColumn('history', 'text'),
    // Tasks held before leases existed get one from their last change, so a holder that died before the
    // upgrade does not keep them forever.
    raw(sql`update tasks set attempts = 1, lease_token = 1 where started_at is not null`),
    raw(
      sql`update tasks set lease_expires_at = updated_at + ${sql.lit(DEFAULT_LEASE_POLICY.leaseMs)} where ${running}`,
    ),
    // Their history starts with the claim they were under, so later lines know their holder.
    raw(
      sql`update tasks set history = ${historyPlusLine({
        from: TaskStatus.PENDING,
        to: TaskStatus.CLAIMED,
        attempt: sql`1`,
        at: sql`started_at`,
        agent: sql.ref('assigned_agent'),
      })} where ${running} and started_at is not null`,
    ),
    // The claim index now holds only ready tasks: a delayed task waits in its own index, ordered by when
    // it is due, so a million tasks scheduled for tomorrow cost a claim nothing.
    text(builder.schema.dropIndex('idx_tasks_claim')),
    text(
      builder.schema
        .createIndex('idx_tasks_claim')
        .on('tasks')
        // run_at (always null here) leads the entry so the claim and the pending count stay index-only:
        // SQLite re-checks an `is null` term against the row unless the column is in the index, and
        // only as the first column does its `is null` count as an equality that keeps the order.
        .columns(['run_at', 'priority desc', 'created_at'])
        .where(sql<boolean>`status = ${sql.lit(TaskStatus.PENDING)} and run_at is null`),
    ),
    text(
      builder.schema
        .createIndex('idx_tasks_delayed')
        .on('tasks')
        .column('run_at')
        .where(sql<boolean>`status = ${sql.lit(TaskStatus.PENDING)} and run_at is not null`),
    ),
    // Live leases by expiry: reclaiming is a range scan over held tasks only, and a claim's check for
    // expired leases reads one entry. The status rides along so the stats count claimed and in-progress
    // tasks from this index alone, which lets a completion skip the counters.
    text(
      builder.schema.createIndex('idx_tasks_lease').on('tasks').columns(['lease_expires_at', 'status']).where(running),
    ),
    // Counters only for what no small index can count: the total, failed and cancelled. One trigger per
    // write kind, each a no-op unless a counted status is involved (every trigger fired costs a call).
    raw(sql`delete from task_counts where name <> 'total'`),
    ...COUNTED_STATUSES.map((status) =>
      raw(
        sql`insert into task_counts (name, count) select ${sql.lit(status)}, count(*) from tasks where status = ${sql.lit(status)}`,
      ),
    ),
    raw(sql`drop trigger task_counts_insert_status`),
    raw(sql`drop trigger task_counts_delete_status`),
    raw(sql`drop trigger task_counts_update_from`),
    raw(sql`drop trigger task_counts_update_to`),
    raw(sql`create trigger task_counts_insert_status after insert on tasks when ${counted('new.status')} begin
      update task_counts set count = count + 1 where name = new.status;
    end`),
    raw(sql`create trigger task_counts_delete_status after delete on tasks when ${counted('old.status')} begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    raw(sql`create trigger task_counts_update after update of status on tasks
      when old.status <> new.status and (${counted('old.status')} or ${counted('new.status')})
    begin
      update task_counts set count = count - 1 where name = old.status;
      update task_counts set count = count + 1 where name = new.status;
    end`),
    text(
      builder.schema
        .createIndex('idx_tasks_idempotency_key')
        .on('tasks')
        .column('idempotency_key')
        .unique()
        .where(sql<boolean>`idempotency_key is not null`),
    ),
    // The pool appends a history line in the statement that changes a status, and bumps the version. A
    // raw UPDATE does neither: the version trigger now also records its status change, stamped with the
    // current time. One trigger, not two: each trigger a write fires costs a subprogram call, and this
    // one already runs on every update (measured: a second one cost ~4% of a claim→complete cycle).
    raw(sql`drop trigger tasks_version_bump`),
    // It also keeps leases true to the status: a task raw SQL makes CLAIMED or IN_PROGRESS without a lease
    // gets the default one (so it cannot stay held forever), and one it moves out loses its lease.
    raw(sql`create trigger tasks_version_bump after update on tasks when new.version = old.version begin
      update tasks set version = old.version + 1,
      lease_expires_at = case when ${heldStatus('new.status')}
        then coalesce(new.lease_expires_at, ${wallClockMs} + coalesce(new.lease_ms, ${sql.lit(DEFAULT_LEASE_POLICY.leaseMs)}))
        end,
      history = case when old.status = new.status then new.history
        else ${historyPlusLine({
          from: sql`old.status`,
          to: sql`new.status`,
          attempt: sql`max(old.attempts, new.attempts)`,
          at: wallClockMs,
          agent: sql`coalesce(new.assigned_agent, old.assigned_agent)`,
          reason: sql.lit('changed by direct SQL'),
        })} end
      where seq = new.seq;
    end`),
  ],
};

const pending = sql.lit(TaskStatus.PENDING);

const v3: Migration = {
  version: 3,
  name: 'capabilities, dependencies, batch claims',
  statements: [
    addColumn('requires', 'text'),
    addColumn('depends_on', 'text'),
    addColumn('waiting_on', 'integer', (c) => c.notNull().defaultTo(0)),
    addColumn('has_dependants', 'integer', (c) => c.notNull().defaultTo(0)),
    // One B-tree keyed by the dependency: what a completion or a failure looks up. No rowid, no second
    // index; a task's own dependencies are in its `depends_on` column.
    text(
      builder.schema
        .createTable('task_dependencies')
        .addColumn('depends_on_id', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('task_dependencies_pk', ['depends_on_id', 'task_id'])
        .modifyEnd(sql`without rowid`),
    ),
    // The claim and delayed indexes leave out tasks that wait for a dependency, so a claim never steps
    // over them. The inner parentheses keep the claim and the counts index-only: SQLite treats a
    // `column = constant` term of a partial index's WHERE as stored in the index, but it walks an AND
    // chain only down its right-hand side, so in `a and b and c` (parsed `(a and b) and c`) it would
    // never see `status = 'pending'` and would read every row for its status.
    text(builder.schema.dropIndex('idx_tasks_claim')),
    text(
      builder.schema
        .createIndex('idx_tasks_claim')
        .on('tasks')
        .columns(['run_at', 'priority desc', 'created_at'])
        .where(sql<boolean>`status = ${pending} and (run_at is null and waiting_on = 0)`),
    ),
    text(builder.schema.dropIndex('idx_tasks_delayed')),
    text(
      builder.schema
        .createIndex('idx_tasks_delayed')
        .on('tasks')
        .column('run_at')
        .where(sql<boolean>`status = ${pending} and (run_at is not null and waiting_on = 0)`),
    ),
    // Tasks waiting for dependencies, delayed or not, in listing order. `seq` is spelled out so that
    // `waiting_on` can follow it (counting stays index-only) without breaking the order. `<> 0` rather
    // than `> 0`: with the two indexes above, every pending task is counted once, whatever raw SQL writes.
    text(
      builder.schema
        .createIndex('idx_tasks_waiting')
        .on('tasks')
        .columns(['priority desc', 'created_at', 'seq', 'waiting_on'])
        .where(sql<boolean>`status = ${pending} and waiting_on <> 0`),
    ),
    // Ready tasks that require a capability, in claim order, with what they require: an exclusive claim
    // (a specialist that leaves general work to others) reads only these, index-only, however much
    // general work waits ahead. A task that requires nothing is never in it, so the guide's claims and
    // completions pay only the test of this WHERE. The nesting keeps `status` and `waiting_on` visible
    // to the planner, as for the claim index.
    text(
      builder.schema
        .createIndex('idx_tasks_requiring')
        .on('tasks')
        .columns(['run_at', 'priority desc', 'created_at', 'seq', 'requires'])
        .where(sql<boolean>`status = ${pending} and (run_at is null and (waiting_on = 0 and requires is not null))`),
    ),
  ],
};

/** Every migration, oldest first. @internal */
export const MIGRATIONS: readonly Migration[] = [v1, v2, v3];

/** The schema version this build writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;
