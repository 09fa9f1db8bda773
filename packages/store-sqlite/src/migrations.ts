import { TASK_STATUSES, TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { builder } from './query-builder.js';

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

const statusList = sql.join(TASK_STATUSES.map((status) => sql.lit(status)));

/** The statuses a task can still leave; the live index covers exactly these. @internal */
export const LIVE_STATUSES = [TaskStatus.PENDING, TaskStatus.CLAIMED, TaskStatus.IN_PROGRESS] as const;
const liveStatusList = sql`(${sql.join(LIVE_STATUSES.map((status) => sql.lit(status)))})`;

function text(query: { compile(): { sql: string } }): string {
  return query.compile().sql;
}

/** Raw SQL for what Kysely's schema builder cannot express (triggers, seeding). */
function raw(query: ReturnType<typeof sql>): string {
  return query.compile(builder).sql;
}

const v1: Migration = {
  version: 1,
  name: 'tasks table, live and listing indexes, counters',
  statements: [
    text(
      builder.schema
        .createTable('tasks')
        // INTEGER PRIMARY KEY aliases the rowid: strictly above every existing row on insert, stable under VACUUM.
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in (${statusList})`))
        .addColumn('priority', 'integer', (c) => c.notNull().check(sql`priority in (0, 1, 2, 3)`))
        .addColumn('assigned_agent', 'text')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'integer')
        .addColumn('completed_at', 'integer')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('metadata', 'text'),
    ),
    // One partial index over the live tasks (pending, claimed, in progress), keyed like the claim order.
    // A claim reads its first pending entry, so its cost does not depend on the history. Claimed and
    // running entries sit just before the pending range, so a claim or a completion usually rewrites one
    // leaf page of it. Indexes over every row's status or agent (the guide's idx_status and
    // idx_assigned_agent) would be rewritten on every transition and halve claim→complete throughput.
    text(
      builder.schema
        .createIndex('idx_tasks_live')
        .on('tasks')
        .columns(['status', 'priority desc', 'created_at'])
        .where(sql.ref('status'), 'in', liveStatusList),
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
    raw(sql`insert into task_counts (name, count) values ('total', 0), ('failed', 0), ('cancelled', 0)`),
    // Counters for what the live index cannot count cheaply: the total and the rare terminal states.
    // COMPLETED is derived (total minus the rest), so the hot claim→complete path never writes a counter.
    // Triggers, not pool code, keep them, so raw SQL (the guide's archive example) stays counted too.
    // The total and the rare states are separate triggers: a WHEN that is false costs almost nothing,
    // while one UPDATE matching either name costs a measurable µs per inserted row.
    raw(sql`create trigger task_counts_insert after insert on tasks begin
      update task_counts set count = count + 1 where name = 'total';
    end`),
    raw(sql`create trigger task_counts_insert_rare after insert on tasks when new.status in ('failed', 'cancelled') begin
      update task_counts set count = count + 1 where name = new.status;
    end`),
    raw(sql`create trigger task_counts_delete after delete on tasks begin
      update task_counts set count = count - 1 where name = 'total';
    end`),
    raw(sql`create trigger task_counts_delete_rare after delete on tasks when old.status in ('failed', 'cancelled') begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    raw(sql`create trigger task_counts_update after update of status on tasks
      when old.status <> new.status and (old.status in ('failed', 'cancelled') or new.status in ('failed', 'cancelled'))
    begin
      update task_counts set count = count - 1 where name = old.status;
      update task_counts set count = count + 1 where name = new.status;
    end`),
  ],
};

/** Every migration, oldest first. @internal */
export const MIGRATIONS: readonly Migration[] = [v1];

/** The schema version this build writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;
