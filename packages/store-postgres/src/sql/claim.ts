// The claim: one statement per claim or batch. The subquery takes the first ready tasks in claim order
// and locks them, stepping over rows another transaction holds (FOR UPDATE SKIP LOCKED), so concurrent
// claimers on many hosts never wait for each other nor take one task twice; the UPDATE writes core's
// CLAIM_WRITES to each, and a data-modifying CTE writes each one's history row in the same statement.
//
// Tried and measured against it: SELECT … FOR UPDATE SKIP LOCKED then UPDATE in a transaction (the same
// safety, three round trips instead of one).

import { CLAIM_WRITES, TaskStatus } from '@omc/core';
import { inClaimOrder, transitionSet } from '@omc/sql-kit';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { TASK_COLUMNS } from '../schema.js';
import { delayed, dialect, held, ready, requiresWithin } from './fragments.js';
import { insertHistory } from './history.js';

/** Which tasks a claim may take: any, those within `$capabilities`, or only those that require something. */
export type ClaimScope = 'any' | 'within' | 'exclusive';

function claimable(b: Builder, scope: ClaimScope, guarded = false) {
  let query = b.selectFrom('tasks').select('seq').where(ready);
  // Uncorrelated, so PostgreSQL evaluates it once, before the scan: nothing is locked when upkeep is due.
  if (guarded) query = query.where(sql<boolean>`(select not (upkeep_expired or upkeep_due) from upkeep)`);
  if (scope === 'within') query = query.where(sql<boolean>`(requires is null or ${requiresWithin})`);
  if (scope === 'exclusive') query = query.where(sql<boolean>`requires is not null and ${requiresWithin}`);
  return query.$call(inClaimOrder).limit(param<number>('limit', 'int')).forUpdate().skipLocked();
}

/**
 * Claim up to `$limit` ready tasks for `$agent` at `$now` (`$leaseMs` the pool's default lease), each as
 * core's planClaim decides, returning the claimed rows (in no set order: the store sorts them).
 * @internal
 */
export function claimReady(b: Builder, scope: ClaimScope): Statement {
  return compile(
    b
      .with('claimed', (db) =>
        db
          .updateTable('tasks')
          .set({ ...transitionSet(dialect, CLAIM_WRITES), version: sql`version + 1` })
          .where('seq', 'in', claimable(b, scope))
          .returning(TASK_COLUMNS),
      )
      .with('logged', () =>
        insertHistory(b, 'claimed', {
          taskId: 'id',
          from: sql.lit(TaskStatus.PENDING),
          to: sql.lit(TaskStatus.CLAIMED),
          agent: 'assigned_agent',
          attempt: 'attempts',
          at: param('now', 'bigint'),
        }),
      )
      .selectFrom('claimed')
      .selectAll(),
  );
}

/**
 * {@link claimReady} guarded by upkeep (core's `claimUnlessUpkeepDue`): one statement asks whether a
 * lease ran out or a delayed task came due by `$now` (the first entry of two small partial indexes, as
 * `upkeepDue` does) and claims only when neither, so the common claim is one round trip. Returns one
 * row with the two flags (`upkeep_expired`, `upkeep_due`) and each claimed task's columns (null when
 * nothing was claimed).
 * @internal
 */
export function claimUnlessUpkeepDue(b: Builder, scope: ClaimScope): Statement {
  const now = param('now', 'bigint');
  const exists = (where: typeof held, column: 'lease_expires_at' | 'run_at') =>
    sql<boolean>`exists (${b.selectFrom('tasks').select(sql.lit(1).as('one')).where(where).where(column, '<=', now)})`;
  return compile(
    b
      .with('upkeep', () =>
        b.selectNoFrom([
          exists(held, 'lease_expires_at').as('upkeep_expired'),
          exists(delayed, 'run_at').as('upkeep_due'),
        ]),
      )
      .with('claimed', (db) =>
        db
          .updateTable('tasks')
          .set({ ...transitionSet(dialect, CLAIM_WRITES), version: sql`version + 1` })
          .where('seq', 'in', claimable(b, scope, true))
          .returning(TASK_COLUMNS),
      )
      .with('logged', () =>
        insertHistory(b, 'claimed', {
          taskId: 'id',
          from: sql.lit(TaskStatus.PENDING),
          to: sql.lit(TaskStatus.CLAIMED),
          agent: 'assigned_agent',
          attempt: 'attempts',
          at: param('now', 'bigint'),
        }),
      )
      .selectFrom('upkeep')
      .leftJoin('claimed', (join) => join.on(sql<boolean>`true`))
      .selectAll('claimed')
      .select(['upkeep.upkeep_expired', 'upkeep.upkeep_due']),
  );
}
