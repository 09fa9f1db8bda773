import { TASK_STATUSES, TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { changeChannel, quoteLiteral } from './notify-listener.js';
import { rawText, schemaBuilderFor } from './query-builder.js';
import { COUNTED_STATUSES, COUNTER_SLOTS, heldStatus } from './schema.js';

/**
 * One schema step, as SQL text for one schema. Migrations are append-only and numbered: never edit a
 * released one, add the next. They are bundled in code (no file reads at run time) and applied by
 * {@link migrationLockSql} under one transaction-scoped advisory lock, so several processes migrating at
 * once apply each step once.
 * @internal
 */
export interface Migration {
  version: number;
  name: string;
  statements: (schema: string) => string[];
}

function text(query: { compile(): { sql: string } }): string {
  return query.compile().sql;
}

const pending = sql.lit(TaskStatus.PENDING);
const counted = sql.join(COUNTED_STATUSES.map((status) => sql.lit(status)));

/** The slot a backend's counter writes go to: spread by process id. */
const slot = sql`pg_backend_pid() % ${sql.lit(COUNTER_SLOTS)}`;

const v1: Migration = {
  version: 1,
  name: 'tasks, dependency edges, history, counters, claim and listing indexes',
  statements: (schema) => {
    const ddl = schemaBuilderFor(schema);
    const t = (name: string) => sql.id(schema, name);
    const fn = (name: string) => sql.id(schema, name);
    return [
      text(
        ddl
          .createTable('tasks')
          .addColumn('seq', 'bigserial', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) =>
            c.notNull().check(sql`status in (${sql.join(TASK_STATUSES.map((s) => sql.lit(s)))})`),
          )
          .addColumn('priority', 'smallint', (c) => c.notNull().check(sql`priority between 0 and 3`))
          .addColumn('assigned_agent', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('started_at', 'bigint')
          .addColumn('completed_at', 'bigint')
          .addColumn('result', 'text')
          .addColumn('error', 'text')
          .addColumn('metadata', 'text')
          .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('run_at', 'bigint')
          .addColumn('lease_token', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('lease_expires_at', 'bigint')
          .addColumn('lease_ms', 'bigint')
          .addColumn('timeout_ms', 'bigint')
          .addColumn('idempotency_key', 'text')
          .addColumn('requires', sql`text[]`)
          .addColumn('depends_on', sql`text[]`)
          .addColumn('waiting_on', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('has_dependants', 'boolean', (c) => c.notNull().defaultTo(false)),
      ),
      // Ready tasks in claim order (priority DESC, created_at, seq): a claim reads the first entries,
      // however much history the table holds and however many tasks are delayed or waiting.
      text(
        ddl
          .createIndex('idx_tasks_ready')
          .on('tasks')
          .columns(['priority desc', 'created_at', 'seq'])
          .where(sql<boolean>`status = ${pending} and run_at is null and waiting_on = 0`),
      ),
      // Ready tasks that require a capability: what an exclusive (specialist) claim reads.
      text(
        ddl
          .createIndex('idx_tasks_ready_requiring')
          .on('tasks')
          .columns(['priority desc', 'created_at', 'seq'])
          .where(sql<boolean>`status = ${pending} and run_at is null and waiting_on = 0 and requires is not null`),
      ),
      // Delayed tasks by when they are due: upkeep reads the first entry.
      text(
        ddl
          .createIndex('idx_tasks_delayed')
          .on('tasks')
          .column('run_at')
          .where(sql<boolean>`status = ${pending} and run_at is not null and waiting_on = 0`),
      ),
      // Every pending task in listing order: the pending count and the pending listing read it alone.
      text(
        ddl
          .createIndex('idx_tasks_pending')
          .on('tasks')
          .columns(['priority desc', 'created_at', 'seq'])
          .where(sql<boolean>`status = ${pending}`),
      ),
      // Live leases by expiry, with the status: reclaim is a range scan over held tasks only, and the
      // held and in-progress counts read this index alone.
      text(ddl.createIndex('idx_tasks_held').on('tasks').columns(['lease_expires_at', 'status']).where(heldStatus)),
      // The listing order over every row; priority and creation time never change, so only inserts pay.
      text(ddl.createIndex('idx_tasks_listing').on('tasks').columns(['priority desc', 'created_at', 'seq'])),
      text(
        ddl
          .createIndex('idx_tasks_idempotency_key')
          .on('tasks')
          .column('idempotency_key')
          .unique()
          .where(sql<boolean>`idempotency_key is not null`),
      ),
      text(
        ddl
          .createTable('task_dependencies')
          .addColumn('depends_on_id', 'text', (c) => c.notNull())
          .addColumn('task_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('task_dependencies_pk', ['depends_on_id', 'task_id']),
      ),
      // A task's own edges: what a retry recounts and a delete drops.
      text(ddl.createIndex('idx_task_dependencies_task').on('task_dependencies').column('task_id')),
      text(
        ddl
          .createTable('task_history')
          .addColumn('task_id', 'text', (c) => c.notNull())
          .addColumn('seq', 'bigserial', (c) => c.notNull())
          .addColumn('from_status', 'text', (c) => c.notNull())
          .addColumn('to_status', 'text', (c) => c.notNull())
          .addColumn('agent', 'text')
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addPrimaryKeyConstraint('task_history_pk', ['task_id', 'seq']),
      ),
      text(
        ddl
          .createTable('task_counts')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('slot', 'integer', (c) => c.notNull())
          .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('task_counts_pk', ['name', 'slot']),
      ),
      rawText(
        sql`insert into ${t('task_counts')} (name, slot) select name, slot from unnest(array['total', ${counted}]) as name, generate_series(0, ${sql.lit(COUNTER_SLOTS - 1)}) as slot`,
      ),
      // Triggers keep the counters, so raw SQL stays counted too. Inserts and deletes count per statement
      // (one counter write per batch); a status change fires only when it enters or leaves a counted status
      // (the WHEN is tested in C, so claims and completions call no function at all).
      rawText(sql`create function ${fn('omc_count_inserts')}() returns trigger language plpgsql as $$
begin
  update ${t('task_counts')} c set count = c.count + d.n
    from (select 'total' as name, count(*) as n from new_rows
          union all select status, count(*) from new_rows where status in (${counted}) group by status) d
    where c.name = d.name and c.slot = ${slot};
  return null;
end $$`),
      rawText(sql`create function ${fn('omc_count_deletes')}() returns trigger language plpgsql as $$
begin
  update ${t('task_counts')} c set count = c.count - d.n
    from (select 'total' as name, count(*) as n from old_rows
          union all select status, count(*) from old_rows where status in (${counted}) group by status) d
    where c.name = d.name and c.slot = ${slot};
  return null;
end $$`),
      rawText(sql`create function ${fn('omc_count_status_change')}() returns trigger language plpgsql as $$
begin
  update ${t('task_counts')} set count = count - 1 where name = old.status and slot = ${slot};
  update ${t('task_counts')} set count = count + 1 where name = new.status and slot = ${slot};
  return null;
end $$`),
      rawText(sql`create function ${fn('omc_count_truncate')}() returns trigger language plpgsql as $$
begin
  update ${t('task_counts')} set count = 0;
  return null;
end $$`),
      rawText(
        sql`create trigger omc_count_inserts after insert on ${t('tasks')} referencing new table as new_rows for each statement execute function ${fn('omc_count_inserts')}()`,
      ),
      rawText(
        sql`create trigger omc_count_deletes after delete on ${t('tasks')} referencing old table as old_rows for each statement execute function ${fn('omc_count_deletes')}()`,
      ),
      rawText(
        sql`create trigger omc_count_status_change after update of status on ${t('tasks')} for each row when (old.status is distinct from new.status and (old.status in (${counted}) or new.status in (${counted}))) execute function ${fn('omc_count_status_change')}()`,
      ),
      rawText(
        sql`create trigger omc_count_truncate after truncate on ${t('tasks')} for each statement execute function ${fn('omc_count_truncate')}()`,
      ),
    ];
  },
};

/**
 * A task that is pending and waits for no dependency: ready, or delayed until its `run_at`. Over the
 * trigger's `new` or `old` row.
 */
const unblocked = (row: 'new' | 'old') => sql.raw(`${row}.status = 'pending' and ${row}.waiting_on = 0`);

const v2: Migration = {
  version: 2,
  name: 'NOTIFY when tasks are created or become claimable again',
  statements: (schema) => {
    const t = (name: string) => sql.id(schema, name);
    const fn = (name: string) => sql.id(schema, name);
    // The channel is the triggers' argument (a literal), never spliced into a function body.
    const channel = sql.raw(quoteLiteral(changeChannel(schema)));
    return [
      // Inserts: once per statement that inserted a row (a batch of creates sends one notification; an
      // insert that conflicted and wrote nothing stays silent, so no idle worker wakes another).
      rawText(sql`create function ${fn('omc_notify_insert')}() returns trigger language plpgsql as $$
begin
  if exists (select 1 from omc_written) then
    perform pg_notify(tg_argv[0], '');
  end if;
  return null;
end $$`),
      rawText(sql`create function ${fn('omc_notify_claimable')}() returns trigger language plpgsql as $$
begin
  perform pg_notify(tg_argv[0], '');
  return null;
end $$`),
      rawText(
        sql`create trigger omc_notify_insert after insert on ${t('tasks')} referencing new table as omc_written for each statement execute function ${fn('omc_notify_insert')}(${channel})`,
      ),
      // Updates: only a row that became pending and unblocked (a requeue, a release, a retry, a dependant
      // released, a delayed task promoted), tested in the WHEN in C: claims, starts, heartbeats and
      // completions call no function and send nothing, since NOTIFY takes a global lock at commit.
      // PostgreSQL folds the repeats of one transaction into one notification.
      rawText(
        sql`create trigger omc_notify_claimable after update on ${t('tasks')} for each row when (${unblocked('new')} and not (${unblocked('old')} and old.run_at is not distinct from new.run_at)) execute function ${fn('omc_notify_claimable')}(${channel})`,
      ),
    ];
  },
};

/** Every migration, oldest first. @internal */
export const MIGRATIONS: readonly Migration[] = [v1, v2];

/** The schema version this build writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The key of the advisory lock migrations of `schema` take: one per schema name. @internal */
export function migrationLockKey(schema: string): string {
  return `omc.migrate:${schema}`;
}
