import { START_WRITES, TaskStatus } from '@omc/core';
import { transitionSet } from '@omc/sql-kit';
import { sql } from 'kysely';
import { historyPlusLine } from '../history-codec.js';
import { builder, compile, param } from '../query-builder.js';
import { sqliteDialect } from './dialect.js';
import { whereLeaseHolds } from './fragments.js';

/** Fenced CLAIMED → IN_PROGRESS (IN_PROGRESS stays): core's START_WRITES. One indexed write; no row when the lease is gone. @internal */
export const startHeld = compile(
  builder
    .updateTable('tasks')
    .set({
      ...transitionSet(sqliteDialect, START_WRITES),
      history: sql`case when status = ${sql.lit(TaskStatus.IN_PROGRESS)} then history else ${historyPlusLine({
        from: TaskStatus.CLAIMED,
        to: TaskStatus.IN_PROGRESS,
        attempt: sql.ref('attempts'),
        at: sql`${param<number>('now')}`,
      })} end`,
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .$call(whereLeaseHolds),
);
