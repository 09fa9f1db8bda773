// The holder's fenced writes: start, heartbeat and complete. Each passes the fence (the lease's token,
// a held status, an unexpired lease) in its WHERE, so a holder whose lease was lost writes nothing. A
// write that records a status change locks the row in a CTE first (`current`), which hands the UPDATE
// the status it changes from for the history row written in the same statement.

import { COMPLETE_WRITES, HEARTBEAT_WRITES, START_WRITES, TaskStatus } from '@omc/core';
import { transitionSet } from '@omc/sql-kit';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { dialect, leaseHolds } from './fragments.js';
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
      .with('logged', () =>
        insertHistory(
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
        ),
      )
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
      .with('logged', () =>
        insertHistory(b, 'completed', {
          taskId: 'id',
          from: 'current_status',
          to: sql.lit(TaskStatus.COMPLETED),
          agent: 'assigned_agent',
          attempt: 'attempts',
          at: param('now', 'bigint'),
        }),
      )
      .selectFrom('completed')
      .select('has_dependants'),
  );
}
