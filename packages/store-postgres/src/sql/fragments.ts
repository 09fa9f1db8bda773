// Every statement the driver runs lives in this folder, one module per operation, built with Kysely for
// one schema and compiled once. Values that change per call are named parameters (`param`), cast where
// PostgreSQL could not infer their type; constants are compiled in, so each partial index's WHERE is
// matched by the planner.
//
// This module holds the pieces several statements share: the claim order, the sets of pending tasks
// (the WHERE of their partial indexes), the lease a claim or heartbeat grants, and the fence every
// holder's write passes.

import { CLAIM_ORDER, TaskStatus } from '@omc/core';
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { param } from '../query-builder.js';
import { type Database, heldStatus } from '../schema.js';

const ORDER_COLUMN = { priority: 'priority', createdAt: 'created_at', seq: 'seq' } as const;

/** Core's CLAIM_ORDER as ORDER BY: the column order of the ready, waiting and listing indexes. */
export function inClaimOrder<O>(
  query: SelectQueryBuilder<Database, 'tasks', O>,
): SelectQueryBuilder<Database, 'tasks', O> {
  return CLAIM_ORDER.reduce(
    (ordered, { key, descending }) => ordered.orderBy(ORDER_COLUMN[key], descending ? 'desc' : 'asc'),
    query,
  );
}

/** Core's CLAIM_ORDER as an ORDER BY list over the columns of `relation`, for raw SQL. */
export function claimOrderOf(relation: string) {
  return sql.join(
    CLAIM_ORDER.map(
      ({ key, descending }) =>
        sql`${sql.ref(`${relation}.${ORDER_COLUMN[key]}`)} ${sql.raw(descending ? 'desc' : 'asc')}`,
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

/**
 * The lease a claim or heartbeat at `$now` grants: the task's lease length (or the pool's `$leaseMs`),
 * never past `deadline` (the end of the attempt's timeout, NULL without one). Core's `leaseExpiry`.
 */
export function leaseUntil(deadline: ReturnType<typeof sql>) {
  const renewed = sql`${param('now', 'bigint')} + coalesce(lease_ms, ${param('leaseMs', 'bigint')})`;
  return sql<number>`case when timeout_ms is not null and ${deadline} < ${renewed} then ${deadline} else ${renewed} end`;
}

/** The row a lease names, if the lease still holds at `$now`: same token, held, not expired. */
export function leaseHolds(eb: ExpressionBuilder<Database, 'tasks'>) {
  return eb.and([
    eb('id', '=', param<string>('id', 'text')),
    eb('lease_token', '=', param<number>('leaseToken', 'bigint')),
    held,
    eb('lease_expires_at', '>', param<number>('now', 'bigint')),
  ]);
}
