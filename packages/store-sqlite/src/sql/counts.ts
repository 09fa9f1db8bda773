import { TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { builder, compile } from '../query-builder.js';
import { delayed, held, ready, tasksIndexedBy, waiting } from './fragments.js';

/** @internal */
export const selectCounts = compile(builder.selectFrom('task_counts').select(['name', 'count']));

/**
 * Held and in-progress counts, index-only over the lease index (no GROUP BY, so no sorter): proportional
 * to the live work, never the history. @internal
 */
export const countHeld = compile(
  builder
    .selectFrom(tasksIndexedBy('idx_tasks_lease'))
    .select((eb) => [
      eb.fn.countAll<number>().as('held'),
      sql<number>`coalesce(sum(status = ${sql.lit(TaskStatus.IN_PROGRESS)}), 0)`.as('in_progress'),
    ])
    .where(held),
);

/**
 * The pending count, index-only over the claim, delayed and waiting indexes: proportional to the queue,
 * never the history. @internal
 */
export const countPending = compile(
  builder.selectNoFrom([
    sql<number>`${builder
      .selectFrom(tasksIndexedBy('idx_tasks_claim'))
      .select((inner) => inner.fn.countAll<number>().as('count'))
      .$call(ready)} + ${builder
      .selectFrom(tasksIndexedBy('idx_tasks_delayed'))
      .select((inner) => inner.fn.countAll<number>().as('count'))
      .$call(delayed)} + ${builder
      .selectFrom(tasksIndexedBy('idx_tasks_waiting'))
      .select((inner) => inner.fn.countAll<number>().as('count'))
      .$call(waiting)}`.as('count'),
  ]),
);
