// Reads: one task, its history, and the counts behind getStats.

import { TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { COUNTED_STATUSES, TASK_COLUMNS } from '../schema.js';
import { held } from './fragments.js';

/** @internal */
export function selectTask(b: Builder): Statement {
  return compile(b.selectFrom('tasks').select(TASK_COLUMNS).where('id', '=', param('id', 'text')));
}

/** Every status change of `$id`, oldest first. @internal */
export function selectHistory(b: Builder): Statement {
  return compile(
    b
      .selectFrom('task_history')
      .select(['task_id', 'from_status', 'to_status', 'agent', 'attempt', 'at', 'reason'])
      .where('task_id', '=', param('id', 'text'))
      .orderBy('seq'),
  );
}

/**
 * The counts in one statement (one snapshot). Pending, held and in-progress are counts over their
 * partial indexes (proportional to the queue and the live work, never the history); the total, failed
 * and cancelled are the trigger-kept counters, summed over their slots.
 * @internal
 */
export function selectCounts(b: Builder): Statement {
  const counter = (name: string) =>
    sql<number>`(${b
      .selectFrom('task_counts')
      .select(sql`coalesce(sum(count), 0)::bigint`.as('n'))
      .where('name', '=', sql.lit(name))})`.as(name);
  return compile(
    b.selectNoFrom([
      counter('total'),
      ...COUNTED_STATUSES.map(counter),
      sql<number>`(${b
        .selectFrom('tasks')
        .select(sql`count(*)`.as('n'))
        .where('status', '=', sql.lit(TaskStatus.PENDING))})`.as('pending'),
      sql<number>`(${b.selectFrom('tasks').select(sql`count(*)`.as('n')).where(held)})`.as('held'),
      sql<number>`(${b
        .selectFrom('tasks')
        .select(sql`count(*)`.as('n'))
        .where(held)
        .where('status', '=', sql.lit(TaskStatus.IN_PROGRESS))})`.as('in_progress'),
    ]),
  );
}
