// Upkeep before a claim: is anything due, reclaim the leases that ran out, promote the delayed tasks
// whose time came.

import { EXPIRY_REASON, TaskStatus } from '@omc/core';
import { reasonTextSql } from '@omc/sql-kit';
import { sql } from 'kysely';
import { historyPlusLine } from '../history-codec.js';
import { builder, compile, param } from '../query-builder.js';
import { sqliteDialect } from './dialect.js';
import { delayed, held, tasksIndexedBy } from './fragments.js';

/**
 * Whether anything is due for upkeep before a claim: a lease that ran out, or a delayed task whose time
 * came. One read of the first entry of two small indexes, so a claim pays for upkeep only when
 * there is some to do (a write transaction per claim measured several µs).
 * @internal
 */
export const upkeepDue = compile(
  builder.selectNoFrom([
    builder
      .selectFrom(tasksIndexedBy('idx_tasks_lease'))
      .select(sql.lit(1).as('due'))
      .where(held)
      .where('lease_expires_at', '<=', param<number>('now'))
      .limit(sql.lit(1))
      .as('expired'),
    builder
      .selectFrom(tasksIndexedBy('idx_tasks_delayed'))
      .select(sql.lit(1).as('due'))
      .$call(delayed)
      .where('run_at', '<=', param<number>('now'))
      .limit(sql.lit(1))
      .as('ready'),
  ]),
);

const expiredAttemptFails = sql<boolean>`attempts >= max_attempts`;

/** Where an expired lease leaves its task: FAILED after the last attempt, else back in line. */
const statusAfterExpiry = sql<string>`case when ${expiredAttemptFails} then ${sql.lit(TaskStatus.FAILED)} else ${sql.lit(TaskStatus.PENDING)} end`;

/**
 * Core's EXPIRY_REASON over the row (column values are the ones before the update): the lease ended at
 * the attempt's deadline (timed out) or for want of a heartbeat.
 */
const expiryReason = reasonTextSql(sqliteDialect, EXPIRY_REASON, {
  conditions: { timedOut: sql<boolean>`timeout_ms is not null and started_at + timeout_ms <= lease_expires_at` },
});

/**
 * Reclaim every lease that ran out: back to PENDING (ready at once, the attempt counted) or FAILED after
 * the last attempt, with the reason as the task's error. Core's `planExpiry`, set-based, over the lease
 * index. Returns one row per reclaimed task: its new status, its id, and whether tasks depend on it (a
 * FAILED one takes them down). @internal
 */
export const reclaimExpired = compile(
  builder
    .updateTable(tasksIndexedBy('idx_tasks_lease'))
    .set({
      status: statusAfterExpiry,
      assigned_agent: sql`case when ${expiredAttemptFails} then assigned_agent end`,
      started_at: sql`case when ${expiredAttemptFails} then started_at end`,
      completed_at: sql`case when ${expiredAttemptFails} then ${param<number>('now')} end`,
      error: expiryReason,
      history: historyPlusLine({
        from: sql.ref('status'),
        to: statusAfterExpiry,
        attempt: sql.ref('attempts'),
        at: sql`${param<number>('now')}`,
        reason: expiryReason,
      }),
      result: null,
      run_at: null,
      lease_expires_at: null,
      updated_at: param<number>('now'),
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .where(held)
    .where('lease_expires_at', '<=', param<number>('now'))
    .returning(['status', 'id', 'has_dependants']),
);

/** Make every delayed task whose time came ready: it enters the claim index in its priority order. @internal */
export const promoteDue = compile(
  builder
    .updateTable(tasksIndexedBy('idx_tasks_delayed'))
    .set({ run_at: null, version: sql<number>`${sql.ref('version')} + 1` })
    .where('status', '=', sql.lit(TaskStatus.PENDING))
    .where('run_at', 'is not', null)
    .where('waiting_on', '=', sql.lit(0))
    .where('run_at', '<=', param<number>('now')),
);
