import { COMPLETE_WRITES, TaskStatus } from '@omc/core';
import { transitionSet } from '@omc/sql-kit';
import { sql } from 'kysely';
import { historyPlusLine } from '../history-codec.js';
import { builder, compile, param } from '../query-builder.js';
import { sqliteDialect } from './dialect.js';
import { whereLeaseHolds } from './fragments.js';

/** What a fenced completion writes: core's COMPLETE_WRITES, and its history line. */
const completed = {
  ...transitionSet(sqliteDialect, COMPLETE_WRITES),
  history: historyPlusLine({
    from: sql.ref('status'),
    to: TaskStatus.COMPLETED,
    attempt: sql.ref('attempts'),
    at: sql`${param<number>('now')}`,
  }),
  version: sql<number>`${sql.ref('version')} + 1`,
};

/**
 * Fenced completion of a task that no task waits for: the result is written only under the current,
 * unexpired lease. No row when the lease is gone, or when the task has dependants: the pool then
 * completes it with {@link completeHeldWithDependants} and releases them in one transaction. So the
 * common completion stays one statement and touches no dependency page.
 * @internal
 */
export const completeHeld = compile(
  builder.updateTable('tasks').set(completed).$call(whereLeaseHolds).where('has_dependants', '=', sql.lit(0)),
);

/** Fenced completion of any held task, run in a transaction with {@link releaseDependants}. @internal */
export const completeHeldWithDependants = compile(builder.updateTable('tasks').set(completed).$call(whereLeaseHolds));
