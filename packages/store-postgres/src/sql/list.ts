// `getTasks`: one statement per filter shape, built on first use.

import type { TaskFilter } from '@omc/core';
import { inClaimOrder } from '@omc/sql-kit';
import { sql } from 'kysely';
import { type Builder, compile, compileRaw, param, type Statement } from '../query-builder.js';
import { TASK_COLUMNS } from '../schema.js';
import { claimOrderOf } from './fragments.js';

/**
 * A key naming the filter's shape: which fields are present, and the status itself (compiled in as a
 * literal, so the planner can use the partial pending and held indexes).
 * @internal
 */
export function filterShapeKey(filter: TaskFilter): string {
  return [
    filter.status ?? '',
    filter.assignedAgent === undefined ? '' : 'a',
    filter.priority === undefined ? '' : 'p',
    filter.limit === undefined ? '' : 'l',
    filter.offset === undefined ? '' : 'o',
    filter.after === undefined ? '' : 'c',
  ].join(':');
}

/**
 * The listing of one filter shape, in claim order, paged by `$limit`/`$offset`. With `after`, keyset
 * paging: only tasks after the cursor task `$after` in the listing order (a lower priority, or the same
 * one and a later `(created_at, seq)`), read in one statement with the cursor; the first column,
 * `cursor_found`, is false on a single row when the cursor task does not exist.
 * @internal
 */
export function selectTasks(b: Builder, filter: TaskFilter): Statement {
  let query = b.selectFrom('tasks').select(TASK_COLUMNS);
  if (filter.status !== undefined) query = query.where('status', '=', sql.lit(filter.status));
  if (filter.assignedAgent !== undefined) query = query.where('assigned_agent', '=', param('assignedAgent', 'text'));
  if (filter.priority !== undefined) query = query.where('priority', '=', param('priority', 'int'));
  if (filter.after !== undefined) {
    const cursor = b
      .selectFrom('tasks as cursor')
      .select(['priority', 'created_at', 'seq'])
      .where('id', '=', param('after', 'text'));
    query = query.where(
      sql<boolean>`exists (select 1 from (${cursor}) as c where tasks.priority < c.priority or (tasks.priority = c.priority and (tasks.created_at, tasks.seq) > (c.created_at, c.seq)))`,
    );
  }
  query = query.$call(inClaimOrder);
  if (filter.limit !== undefined) query = query.limit(param('limit', 'bigint'));
  if (filter.offset !== undefined) query = query.offset(param('offset', 'bigint'));
  if (filter.after === undefined) return compile(query);
  // The cursor's existence and the page, from one snapshot: one row with `cursor_found` false and no
  // task when the cursor does not exist.
  const cursorExists = b.selectFrom('tasks').select(sql.lit(1).as('one')).where('id', '=', param('after', 'text'));
  return compileRaw(
    sql`with page as (${query}) select cursor_state.found as cursor_found, page.* from (select exists (${cursorExists}) as found) as cursor_state left join page on true order by ${claimOrderOf('page')}`,
  );
}
