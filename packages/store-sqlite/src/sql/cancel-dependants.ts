import { DEPENDENCY_REASON, endedAs, TaskStatus } from '@omc/core';
import { reasonTextSql } from '@omc/sql-kit';
import { sql } from 'kysely';
import { historyPlusLine } from '../history-codec.js';
import { builder, compile, param } from '../query-builder.js';
import { sqliteDialect } from './dialect.js';
import { unfinished } from './fragments.js';

/** `'dependency <id> failed'` and the like: why a task was cancelled for its dependency `cause`. */
const dependencyError = reasonTextSql(sqliteDialect, DEPENDENCY_REASON, {
  slots: {
    dependency: sql`cause`,
    // The root's own ending for its direct dependants; every task further down names a cancelled one.
    ending: sql`case when cause = ${param<string>('id')} then ${param<string>('ending')} else ${sql.lit(endedAs(TaskStatus.CANCELLED))} end`,
  },
});

/**
 * `:id` failed, was cancelled or is being deleted: every unfinished task that waits for it is CANCELLED,
 * and so on down the chain, in one statement. The walk goes on only through tasks it cancels (a
 * COMPLETED dependant keeps its own dependants), and each task names the dependency nearest the root
 * that took it down (of several equally near, the smallest id); `:ending` says what happened to the
 * root ('failed', 'was cancelled', 'was deleted').
 * @internal
 */
export const cancelDependants = compile(
  builder
    .withRecursive('doomed(task_id, cause, depth)', (db) =>
      db
        .selectFrom('task_dependencies')
        .innerJoin('tasks', 'tasks.id', 'task_dependencies.task_id')
        .select([
          'task_dependencies.task_id',
          sql<string>`${param<string>('id')}`.as('cause'),
          sql<number>`1`.as('depth'),
        ])
        .where('task_dependencies.depends_on_id', '=', param<string>('id'))
        .where(unfinished('tasks.status'))
        .union(
          db
            .selectFrom('doomed')
            .innerJoin('task_dependencies', 'task_dependencies.depends_on_id', 'doomed.task_id')
            .innerJoin('tasks', 'tasks.id', 'task_dependencies.task_id')
            .select([
              'task_dependencies.task_id',
              sql<string>`doomed.task_id`.as('cause'),
              sql<number>`doomed.depth + 1`.as('depth'),
            ])
            .where(unfinished('tasks.status')),
        ),
    )
    .updateTable('tasks')
    .from((db) =>
      // The nearest cause and, of several equally near, the smallest id (as the reference store picks
      // it): the min of depth and id together, the depth zero-padded so the text order is the number's.
      db
        .selectFrom('doomed')
        .select(['task_id as doomed_id', sql<string>`substr(min(printf('%08d', depth) || cause), 9)`.as('cause')])
        .groupBy('task_id')
        .as('chosen'),
    )
    .set({
      status: sql.lit(TaskStatus.CANCELLED),
      error: dependencyError,
      updated_at: param<number>('now'),
      lease_expires_at: null,
      run_at: null,
      history: historyPlusLine({
        from: sql.ref('tasks.status'),
        to: TaskStatus.CANCELLED,
        attempt: sql.ref('tasks.attempts'),
        at: sql`${param<number>('now')}`,
        reason: dependencyError,
      }),
      version: sql<number>`${sql.ref('tasks.version')} + 1`,
    })
    .whereRef('tasks.id', '=', 'chosen.doomed_id'),
);
