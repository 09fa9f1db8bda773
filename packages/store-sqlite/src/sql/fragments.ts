// Every statement the pool runs lives in this folder, one module per operation, built once with Kysely.
// Values that change per call are named parameters; constants are compiled in. test/statements.sql holds
// each one's compiled SQL.
//
// This module holds the pieces several statements share, each spelled once: the pinned index reference,
// the bound LIMIT, the claim order, the three disjoint sets of pending tasks and the held set (the exact
// WHERE of their partial indexes), the lease a claim or heartbeat grants, and the fence every holder's
// write passes.

import { TaskStatus } from '@omc/core';
import { type SelectQueryBuilder, sql, type UpdateQueryBuilder } from 'kysely';
import { param } from '../query-builder.js';
import { type Database, heldStatus } from '../schema.js';

/**
 * `tasks INDEXED BY <index>`. Without statistics SQLite's planner prefers the guide's plain `idx_status`
 * for the claim and sorts every pending task (a temp B-tree per claim). Naming the index pins the plan,
 * and SQLite refuses the statement outright if the index is ever missing. Kysely has no INDEXED BY,
 * hence the raw table reference.
 */
export function tasksIndexedBy(index: string): 'tasks' {
  return sql.raw(`tasks indexed by ${index}`) as unknown as 'tasks';
}

/**
 * A LIMIT or OFFSET bound at run time, wrapped in a cast. SQLite's planner reads the value of a bare
 * `LIMIT ?` and so marks the statement stale whenever that parameter is bound again: every run then
 * prepared the whole statement anew (measured: a one-task batch claim 166 µs instead of 30). The cast
 * hides the parameter from the planner; the value is the same.
 */
export function boundCount(name: string) {
  return sql<number>`cast(${param<number>(name)} as integer)`;
}

/**
 * The claim and listing order, core's CLAIM_ORDER, from `@omc/sql-kit` (every SQL adapter's). Every query
 * that returns tasks in order applies it through `$call`; the claim index's columns (migrations) are in the
 * same order: query-plan.test.ts fails on any claim or listing that must sort.
 */
export { inClaimOrder } from '@omc/sql-kit';

// Pending tasks fall in three disjoint sets, each the exact WHERE of its partial index (SQLite uses a
// partial index only for a query that repeats its terms, with the constants compiled in, not bound).

/** Ready tasks: pending, not delayed, waiting for nothing. The claim index holds exactly these. */
export function ready<O>(query: SelectQueryBuilder<Database, 'tasks', O>): SelectQueryBuilder<Database, 'tasks', O> {
  return query
    .where('status', '=', sql.lit(TaskStatus.PENDING))
    .where('run_at', 'is', null)
    .where('waiting_on', '=', sql.lit(0));
}

/** Delayed tasks: pending with a `run_at`, waiting for nothing. `idx_tasks_delayed` holds these, by `run_at`. */
export function delayed<O>(query: SelectQueryBuilder<Database, 'tasks', O>): SelectQueryBuilder<Database, 'tasks', O> {
  return query
    .where('status', '=', sql.lit(TaskStatus.PENDING))
    .where('run_at', 'is not', null)
    .where('waiting_on', '=', sql.lit(0));
}

/** Tasks waiting for a dependency, delayed or not. `idx_tasks_waiting` holds these, in listing order. */
export function waiting<O>(query: SelectQueryBuilder<Database, 'tasks', O>): SelectQueryBuilder<Database, 'tasks', O> {
  return query.where('status', '=', sql.lit(TaskStatus.PENDING)).where('waiting_on', '<>', sql.lit(0));
}

/** CLAIMED or IN_PROGRESS, spelled as `idx_tasks_lease`'s WHERE so the planner can use it. */
export const held = heldStatus();

/** The row a lease names, if the lease still holds at `:now`: same token, held, not expired. */
export function whereLeaseHolds<O>(
  query: UpdateQueryBuilder<Database, 'tasks', 'tasks', O>,
): UpdateQueryBuilder<Database, 'tasks', 'tasks', O> {
  return query
    .where('id', '=', param<string>('id'))
    .where('lease_token', '=', param<number>('leaseToken'))
    .where(held)
    .where('lease_expires_at', '>', param<number>('now'));
}

/** Not COMPLETED, FAILED or CANCELLED, as an OR chain (see the migrations on IN lists). */
export function unfinished(column: string) {
  const ref = sql.ref(column);
  return sql<boolean>`(${ref} = ${sql.lit(TaskStatus.PENDING)} or ${ref} = ${sql.lit(TaskStatus.CLAIMED)} or ${ref} = ${sql.lit(TaskStatus.IN_PROGRESS)})`;
}
