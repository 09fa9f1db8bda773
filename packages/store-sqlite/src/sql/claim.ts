// The claim: one UPDATE per claim or batch, picking from the claim index in claim order.

import { CLAIM_WRITES, TaskStatus } from '@omc/core';
import { transitionSet } from '@omc/sql-kit';
import { sql } from 'kysely';
import { historyPlusLine } from '../history-codec.js';
import { builder, compile, param } from '../query-builder.js';
import { TASK_COLUMNS } from '../schema.js';
import { sqliteDialect } from './dialect.js';
import { boundCount, inClaimOrder, ready, tasksIndexedBy } from './fragments.js';

/** The next tasks to claim, in claim order: the first entries of the claim index. */
function nextReady(limit: 'one' | 'limit') {
  return builder
    .selectFrom(tasksIndexedBy('idx_tasks_claim'))
    .select('seq')
    .$call(ready)
    .$call(inClaimOrder)
    .limit(limit === 'one' ? sql.lit(1) : boundCount('limit'));
}

/** The next task to claim: the first entry of the claim index. */
const nextPending = nextReady('one');

/** Each name the task requires is among `:capabilities`, a JSON array. */
const requiresOnly = sql<boolean>`not exists (select 1 from json_each(requires) as need where need.value not in (select cap.value from json_each(${param('capabilities')}) as cap))`;

/**
 * A task the agent can do: it requires nothing (tested first, so such a task costs one NULL test), or
 * each name it requires is among `:capabilities`.
 */
const withinCapabilities = sql<boolean>`(requires is null or ${requiresOnly})`;

/** What a claim writes to each task it takes: core's CLAIM_WRITES, and its history line. */
const claimed = {
  ...transitionSet(sqliteDialect, CLAIM_WRITES),
  history: historyPlusLine({
    from: TaskStatus.PENDING,
    to: TaskStatus.CLAIMED,
    attempt: sql`attempts + 1`,
    at: sql`${param<number>('now')}`,
    agent: sql`${param<string>('agent')}`,
  }),
  version: sql<number>`${sql.ref('version')} + 1`,
};

/**
 * The claim: one UPDATE whose subquery picks the next pending task by the partial claim index.
 * A single statement takes SQLite's write lock before it reads, so two processes can never pick the
 * same row, and the busy timeout (not the caller) absorbs contention. Tried before settling here:
 * SELECT-then-UPDATE in an IMMEDIATE transaction (same safety, two statements, slower).
 * @internal
 */
export const claimNext = compile(
  builder.updateTable('tasks').set(claimed).where('seq', '=', nextPending).returning(TASK_COLUMNS),
);

/**
 * Up to `:limit` claims in one statement: the first entries of the claim index, each row updated exactly
 * as {@link claimNext} updates its one (its own attempt, token, lease and history line). SQLite collects
 * the chosen rowids before it updates, and returns the rows in no set order: the pool sorts them.
 * @internal
 */
export const claimBatch = compile(
  builder.updateTable('tasks').set(claimed).where('seq', 'in', nextReady('limit')).returning(TASK_COLUMNS),
);

/**
 * Up to `:limit` claims among the tasks an agent with `:capabilities` can do: the claim index in order,
 * stepping over what it cannot do. A statement of its own, so the guide's `claimTask(name)` does no
 * capability work at all.
 * @internal
 */
export const claimBatchWithin = compile(
  builder
    .updateTable('tasks')
    .set(claimed)
    .where('seq', 'in', nextReady('limit').where(withinCapabilities))
    .returning(TASK_COLUMNS),
);

/**
 * Up to `:limit` claims among the tasks that require something, all of it within `:capabilities`: an
 * exclusive claim, for a specialist that leaves general work to others. Read from `idx_tasks_requiring`,
 * which holds only ready tasks that require something, index-only.
 * @internal
 */
export const claimBatchExclusive = compile(
  builder
    .updateTable('tasks')
    .set(claimed)
    .where(
      'seq',
      'in',
      builder
        .selectFrom(tasksIndexedBy('idx_tasks_requiring'))
        .select('seq')
        .$call(ready)
        .where('requires', 'is not', null)
        .where(requiresOnly)
        .$call(inClaimOrder)
        .limit(boundCount('limit')),
    )
    .returning(TASK_COLUMNS),
);
