// `getTasks` and keyset paging: one statement per filter shape, built on first use.

import { type TaskFilter, TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { builder, type CompiledShape, compile, param } from '../query-builder.js';
import { TASK_COLUMNS } from '../schema.js';
import { boundCount, delayed, held, inClaimOrder, ready, tasksIndexedBy, waiting } from './fragments.js';

/** Every pending task, ready, delayed and waiting, as one compound source that SQLite merges in order. */
const pendingTasks = builder
  .selectFrom(tasksIndexedBy('idx_tasks_claim'))
  .selectAll()
  .$call(ready)
  .unionAll(builder.selectFrom(tasksIndexedBy('idx_tasks_delayed')).selectAll().$call(delayed))
  .unionAll(builder.selectFrom(tasksIndexedBy('idx_tasks_waiting')).selectAll().$call(waiting));

/** A key naming which filter fields are present: one prepared statement per shape. @internal */
export function filterShapeKey(filter: TaskFilter): string {
  return [
    filter.status === undefined ? '' : filter.status === TaskStatus.PENDING ? 'P' : isHeld(filter.status) ? 'H' : 's',
    filter.assignedAgent === undefined ? '' : 'a',
    filter.priority === undefined ? '' : 'p',
    filter.limit === undefined ? '' : 'l',
    filter.offset === undefined ? '' : 'o',
  ].join('');
}

function isHeld(status: TaskStatus): boolean {
  return status === TaskStatus.CLAIMED || status === TaskStatus.IN_PROGRESS;
}

/** The `getTasks` conditions of one filter shape, before order and paging. */
function filtered(filter: TaskFilter) {
  // Pending is the ready tasks (the claim index, in order) merged with the delayed ones (their index,
  // sorted: usually few). Both pinned with INDEXED BY: unpinned, the planner reads idx_priority for
  // {status, priority} and, after ANALYZE, for every pending shape: the whole history. The status is
  // compiled in as a literal, which lets SQLite match the partial indexes' WHERE (a bound parameter
  // would not). Claimed and in-progress tasks are read from the lease index, which holds only live work,
  // and sorted (the running tasks, not the history). Other statuses walk the listing index in order.
  let query =
    filter.status === TaskStatus.PENDING
      ? builder.selectFrom(pendingTasks.as('tasks')).select(TASK_COLUMNS)
      : filter.status !== undefined && isHeld(filter.status)
        ? builder.selectFrom(tasksIndexedBy('idx_tasks_lease')).select(TASK_COLUMNS).where(held)
        : builder.selectFrom('tasks').select(TASK_COLUMNS);
  if (filter.status !== undefined && filter.status !== TaskStatus.PENDING) {
    query = query.where('status', '=', param<string>('status'));
  }
  if (filter.assignedAgent !== undefined) query = query.where('assigned_agent', '=', param<string>('assignedAgent'));
  if (filter.priority !== undefined) query = query.where('priority', '=', param<number>('priority'));
  return query;
}

/** Build the `getTasks` query for one filter shape; values bind by name at run time. @internal */
export function selectFiltered(filter: TaskFilter): CompiledShape {
  let query = filtered(filter).$call(inClaimOrder);
  // SQLite needs a LIMIT before an OFFSET; -1 means no limit.
  if (filter.limit !== undefined || filter.offset !== undefined) {
    query = query.limit(filter.limit === undefined ? sql.lit(-1) : boundCount('limit'));
  }
  if (filter.offset !== undefined) query = query.offset(boundCount('offset'));
  return compile(query);
}

/**
 * Keyset paging after a cursor task, in two index range scans, because the listing order mixes a
 * descending and ascending column: first the rest of the cursor's priority (`(created_at, seq)` after the
 * cursor's, a row-value range SQLite seeks to), then every lower priority. Each page costs its own size,
 * however deep it is. `limit` is -1 for no limit.
 * @internal
 */
export function selectAfter(filter: TaskFilter, part: 'same-priority' | 'lower-priority'): CompiledShape {
  const query =
    part === 'same-priority'
      ? filtered(filter)
          .where('priority', '=', param<number>('cursorPriority'))
          .where(sql<boolean>`(created_at, seq) > (${param('cursorCreatedAt')}, ${param('cursorSeq')})`)
          .orderBy('created_at', 'asc')
          .orderBy('seq', 'asc')
      : filtered(filter).where('priority', '<', param<number>('cursorPriority')).$call(inClaimOrder);
  return compile(query.limit(boundCount('limit')));
}
