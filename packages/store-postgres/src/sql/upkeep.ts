// Upkeep before a claim: is anything due, reclaim the leases that ran out, promote the delayed tasks
// whose time came.

import { EXPIRY_REASON, TaskStatus } from '@omc/core';
import { reasonTextSql } from '@omc/sql-kit';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { delayed, dialect, held } from './fragments.js';
import { insertHistory } from './history.js';

/**
 * Whether a lease ran out or a delayed task came due by `$now`: the first entry of two small partial
 * indexes, so a claim pays for upkeep only when there is some.
 * @internal
 */
export function upkeepDue(b: Builder): Statement {
  const now = param('now', 'bigint');
  return compile(
    b.selectNoFrom([
      sql<boolean>`exists (${b.selectFrom('tasks').select(sql.lit(1).as('one')).where(held).where('lease_expires_at', '<=', now)})`.as(
        'expired',
      ),
      sql<boolean>`exists (${b.selectFrom('tasks').select(sql.lit(1).as('one')).where(delayed).where('run_at', '<=', now)})`.as(
        'due',
      ),
    ]),
  );
}

const fails = sql<boolean>`attempts >= max_attempts`;

/** Core's EXPIRY_REASON over the row before the update: timed out, or no heartbeat. */
const expiryReason = reasonTextSql(dialect, EXPIRY_REASON, {
  conditions: { timedOut: sql<boolean>`timeout_ms is not null and started_at + timeout_ms <= lease_expires_at` },
});

/**
 * End every lease that ran out by `$now` (core's planExpiry, set-based): back to PENDING, ready at once,
 * while attempts remain, FAILED after the last, the reason as the task's error and its history row.
 * Rows a holder is writing right now are skipped (SKIP LOCKED): their write decides, and the next
 * upkeep sees them again. Returns each reclaimed task's id, new status and whether tasks depend on it.
 * @internal
 */
export function reclaimExpired(b: Builder): Statement {
  const now = param('now', 'bigint');
  return compile(
    b
      .with('expired', (db) =>
        db
          .selectFrom('tasks')
          .select(['seq as expired_seq', 'status as expired_status', 'assigned_agent as expired_agent'])
          .where(held)
          .where('lease_expires_at', '<=', now)
          .forUpdate()
          .skipLocked(),
      )
      .with('reclaimed', (db) =>
        db
          .updateTable('tasks')
          .from('expired')
          .set({
            status: sql`case when ${fails} then ${sql.lit(TaskStatus.FAILED)} else ${sql.lit(TaskStatus.PENDING)} end`,
            assigned_agent: sql`case when ${fails} then assigned_agent end`,
            started_at: sql`case when ${fails} then started_at end`,
            completed_at: sql`case when ${fails} then ${now} end`,
            error: expiryReason,
            result: null,
            run_at: null,
            lease_expires_at: null,
            updated_at: now,
            version: sql`version + 1`,
          })
          .whereRef('tasks.seq', '=', 'expired.expired_seq')
          .returning([
            'tasks.id',
            'tasks.status',
            'tasks.has_dependants',
            'tasks.attempts',
            'tasks.error',
            'expired.expired_status',
            'expired.expired_agent',
          ]),
      )
      .with('logged', () =>
        insertHistory(b, 'reclaimed', {
          taskId: 'id',
          from: 'expired_status',
          to: 'status',
          agent: 'expired_agent',
          attempt: 'attempts',
          at: now,
          reason: 'error',
        }),
      )
      .selectFrom('reclaimed')
      .select(['id', 'status', 'has_dependants']),
  );
}

/** Make every delayed task whose time came (and that waits for nothing) ready. @internal */
export function promoteDue(b: Builder): Statement {
  return compile(
    b
      .updateTable('tasks')
      .set({ run_at: null, version: sql`version + 1` })
      .where(delayed)
      .where('run_at', '<=', param('now', 'bigint')),
  );
}
