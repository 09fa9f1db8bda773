// Every statement the driver runs lives in this folder, one module per operation, built with Kysely for
// one schema and compiled once. Values that change per call are named parameters (`param`), cast where
// PostgreSQL could not infer their type; constants are compiled in, so each partial index's WHERE is
// matched by the planner.
//
// This module holds the pieces several statements share: the dialect the SQL of core's rules is built
// with (`@omc/sql-kit`), the sets of pending tasks (the WHERE of their partial indexes), and the fence
// every holder's write passes.

import { CLAIM_ORDER, TaskStatus } from '@omc/core';
import { CLAIM_ORDER_COLUMN, type SqlDialect } from '@omc/sql-kit';
import { type ExpressionBuilder, sql } from 'kysely';
import { param } from '../query-builder.js';
import { type Database, heldStatus } from '../schema.js';

/** How PostgreSQL binds a value and writes a column, for the SQL of core's rules (`@omc/sql-kit`). */
export const dialect: SqlDialect = {
  param: (name, type) => param(name, type),
  column: (name) => sql.ref(name),
  text: (name) => sql`${sql.ref(name)}::text`,
};

/** Core's CLAIM_ORDER as an ORDER BY list over the columns of `relation`, for raw SQL. */
export function claimOrderOf(relation: string) {
  return sql.join(
    CLAIM_ORDER.map(
      ({ key, descending }) =>
        sql`${sql.ref(`${relation}.${CLAIM_ORDER_COLUMN[key]}`)} ${sql.raw(descending ? 'desc' : 'asc')}`,
    ),
  );
}

const pending = sql.lit(TaskStatus.PENDING);

/** Ready tasks: pending, not delayed, waiting for nothing (`idx_tasks_ready`). */
export const ready = sql<boolean>`status = ${pending} and run_at is null and waiting_on = 0`;

/** Delayed tasks: pending with a `run_at`, waiting for nothing (`idx_tasks_delayed`). */
export const delayed = sql<boolean>`status = ${pending} and run_at is not null and waiting_on = 0`;

/** CLAIMED or IN_PROGRESS (`idx_tasks_held`). */
export const held = heldStatus;

/** Each capability the task requires is among `$capabilities`. */
export const requiresWithin = sql<boolean>`requires <@ ${param('capabilities', 'text[]')}`;

/** The row a lease names, if the lease still holds at `$now`: same token, held, not expired. */
export function leaseHolds(eb: ExpressionBuilder<Database, 'tasks'>) {
  return eb.and([
    eb('id', '=', param<string>('id', 'text')),
    eb('lease_token', '=', param<number>('leaseToken', 'bigint')),
    held,
    eb('lease_expires_at', '>', param<number>('now', 'bigint')),
  ]);
}
