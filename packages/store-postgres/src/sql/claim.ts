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
import { dialect, ready, requiresWithin } from './fragments.js';
import { insertHistory } from './history.js';

/** Which tasks a claim may take: any, those within `$capabilities`, or only those that require something. */
export type ClaimScope = 'any' | 'within' | 'exclusive';

function claimable(b: Builder, scope: ClaimScope) {
  let query = b.selectFrom('tasks').select('seq').where(ready);
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
