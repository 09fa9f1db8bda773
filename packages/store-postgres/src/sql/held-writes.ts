// The holder's fenced writes: start, heartbeat and complete. Each passes the fence (the lease's token,
// a held status, an unexpired lease) in its WHERE, so a holder whose lease was lost writes nothing. A
// write that records a status change locks the row in a CTE first (`current`), which hands the UPDATE
// the status it changes from for the history row written in the same statement.

import { COMPLETE_WRITES, HEARTBEAT_WRITES, START_WRITES, TaskStatus } from '@omc/core';
import { transitionSet } from '@omc/sql-kit';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { dialect, held, leaseHolds } from './fragments.js';
import { insertHistory } from './history.js';

/**
 * The row `$id`/`$leaseToken` holds at `$now`, locked, with its status before the write. `dependants`:
 * `'none'` matches only a task without dependants (the common completion, one statement).
 */
function current(b: Builder, dependants: 'any' | 'none' = 'any') {
  let query = b
    .selectFrom('tasks')
    .select(['seq as current_seq', 'status as current_status'])
    .where(leaseHolds)
    .forUpdate();
  if (dependants === 'none') query = query.where(sql<boolean>`not has_dependants`);
  return query;
}

/** The history row of each task a start wrote (from the CTE `started`), unless it was already in progress. */
function startedHistory(b: Builder) {
  return insertHistory(
    b,
    'started',
    {
      taskId: 'id',
      from: 'current_status',
      to: sql.lit(TaskStatus.IN_PROGRESS),
      agent: 'assigned_agent',
      attempt: 'attempts',
      at: param('now', 'bigint'),
    },
    sql<boolean>`current_status <> ${sql.lit(TaskStatus.IN_PROGRESS)}`,
  );
}

/** The history row of each task a completion wrote (from the CTE `completed`). */
function completedHistory(b: Builder) {
  return insertHistory(b, 'completed', {
    taskId: 'id',
    from: 'current_status',
    to: sql.lit(TaskStatus.COMPLETED),
    agent: 'assigned_agent',
    attempt: 'attempts',
    at: param('now', 'bigint'),
  });
}

/** Fenced CLAIMED → IN_PROGRESS (IN_PROGRESS stays, with no history row): core's START_WRITES. @internal */
export function startHeld(b: Builder): Statement {
  return compile(
    b
      .with('current', () => current(b))
      .with('started', (db) =>
        db
          .updateTable('tasks')
          .from('current')
          .set({ ...transitionSet(dialect, START_WRITES), version: sql`version + 1` })
          .whereRef('tasks.seq', '=', 'current.current_seq')
          .returning(['tasks.id', 'tasks.assigned_agent', 'tasks.attempts', 'current.current_status']),
      )
      .with('logged', () => startedHistory(b))
      .selectFrom('started')
      .select((eb) => eb.fn.countAll<number>().as('written')),
  );
}

/** Fenced lease renewal (core's HEARTBEAT_WRITES), returning the new expiry. @internal */
export function heartbeatHeld(b: Builder): Statement {
  return compile(
    b
      .updateTable('tasks')
      .set({ ...transitionSet(dialect, HEARTBEAT_WRITES), version: sql`version + 1` })
      .where(leaseHolds)
      .returning('lease_expires_at'),
  );
}

/**
 * Fenced completion (core's COMPLETE_WRITES) and its history row, returning whether the task has
 * dependants. `'none'`: only a task without dependants, so the common completion is one statement; one
 * with dependants is completed by `'any'` and released by the next statement, in one transaction.
 * @internal
 */
export function completeHeld(b: Builder, dependants: 'any' | 'none'): Statement {
  return compile(
    b
      .with('current', () => current(b, dependants))
      .with('completed', (db) =>
        db
          .updateTable('tasks')
          .from('current')
          .set({ ...transitionSet(dialect, COMPLETE_WRITES), version: sql`version + 1` })
          .whereRef('tasks.seq', '=', 'current.current_seq')
          .returning([
            'tasks.id',
            'tasks.assigned_agent',
            'tasks.attempts',
            'tasks.has_dependants',
            'current.current_status',
          ]),
      )
      .with('logged', () => completedHistory(b))
      .selectFrom('completed')
      .select('has_dependants'),
  );
}

/**
 * The rows the group's leases hold at `$now`, locked, each with its status before the write and its
 * item's result: `$ids`, `$leaseTokens` (and `$results`) side by side by `unnest`, one item per task.
 */
function currentGroup(b: Builder, dependants: 'any' | 'none', withResults: boolean) {
  const arrays = [param('ids', 'text[]'), param('leaseTokens', 'bigint[]')];
  if (withResults) arrays.push(param('results', 'text[]'));
  const names = sql.raw(withResults ? 'item_id, item_token, item_result' : 'item_id, item_token');
  let query = b
    .selectFrom(sql`unnest(${sql.join(arrays)})`.as(sql`item(${names})` as never) as never)
    .innerJoin('tasks', (join) =>
      join.on(sql<boolean>`tasks.id = item.item_id and tasks.lease_token = item.item_token`),
    )
    .select([
      sql.ref('tasks.seq').as('current_seq'),
      sql.ref('tasks.status').as('current_status'),
      ...(withResults ? [sql.ref('item.item_result').as('current_result')] : []),
    ])
    .where(held)
    .where(sql<boolean>`tasks.lease_expires_at > ${param('now', 'bigint')}`);
  if (dependants === 'none') query = query.where(sql<boolean>`not tasks.has_dependants`);
  return query.forUpdate().modifyEnd(sql`of tasks`);
}

/** Every item's result, from the group's `current` CTE. */
const groupDialect = {
  ...dialect,
  param: (name: string, type: Parameters<typeof dialect.param>[1]) =>
    name === 'result' ? sql.ref('current.current_result') : dialect.param(name, type),
};

/** {@link startHeld} of a group of leases in one statement; returns the ids written. @internal */
export function startHeldAll(b: Builder): Statement {
  return compile(
    b
      .with('current', () => currentGroup(b, 'any', false) as never)
      .with('started', (db) =>
        db
          .updateTable('tasks')
          .from('current' as never)
          .set({ ...transitionSet(dialect, START_WRITES), version: sql`version + 1` })
          .where(sql<boolean>`tasks.seq = current.current_seq`)
          .returning([
            'tasks.id',
            'tasks.assigned_agent',
            'tasks.attempts',
            sql.ref('current.current_status').as('current_status'),
          ]),
      )
      .with('logged', () => startedHistory(b))
      .selectFrom('started' as never)
      .select(sql.ref('id').as('id')),
  );
}

/**
 * {@link completeHeld} of a group in one statement, each item's history row in it too, returning the
 * ids written and whether each has dependants. `'none'`: only tasks without dependants (the common
 * group, one statement); the rest are completed by `'any'` and released by `releaseDependantsOfAll`,
 * in one transaction.
 * @internal
 */
export function completeHeldAll(b: Builder, dependants: 'any' | 'none'): Statement {
  return compile(
    b
      .with('current', () => currentGroup(b, dependants, true) as never)
      .with('completed', (db) =>
        db
          .updateTable('tasks')
          .from('current' as never)
          .set({ ...transitionSet(groupDialect, COMPLETE_WRITES), version: sql`version + 1` })
          .where(sql<boolean>`tasks.seq = current.current_seq`)
          .returning([
            'tasks.id',
            'tasks.assigned_agent',
            'tasks.attempts',
            'tasks.has_dependants',
            sql.ref('current.current_status').as('current_status'),
          ]),
      )
      .with('logged', () => completedHistory(b))
      .selectFrom('completed' as never)
      .select([sql.ref('id').as('id'), sql.ref('has_dependants').as('has_dependants')]),
  );
}
