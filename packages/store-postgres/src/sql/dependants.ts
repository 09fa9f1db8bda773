// What a dependency's end does to the tasks that wait for it: a completion releases them, a failure, a
// cancellation or a delete cancels them, down the chain. Each runs as its own statement after the write
// that ended the dependency, in the same transaction: under READ COMMITTED a new statement sees a
// dependant created (and committed) while the dependency's row was locked.

import { DEPENDENCY_REASON, TaskStatus } from '@omc/core';
import { reasonTextSql } from '@omc/sql-kit';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { unfinished } from '../schema.js';
import { dialect } from './fragments.js';
import { insertHistory } from './history.js';

/**
 * `$id` completed: each unfinished task waiting for it waits for one dependency fewer; one that waits
 * for nothing more and whose `run_at` came by `$now` is ready at once.
 * @internal
 */
export function releaseDependants(b: Builder): Statement {
  return compile(
    b
      .updateTable('tasks')
      .set({
        waiting_on: sql`waiting_on - 1`,
        run_at: sql`case when waiting_on = 1 and run_at <= ${param('now', 'bigint')} then null else run_at end`,
        version: sql`version + 1`,
      })
      .where(
        'id',
        'in',
        b.selectFrom('task_dependencies').select('task_id').where('depends_on_id', '=', param('id', 'text')),
      )
      .where(unfinished())
      .where('waiting_on', '>', 0),
  );
}

/**
 * `$ids` completed (one statement for a group): each unfinished task waiting for some of them waits for
 * as many dependencies fewer; one that waits for nothing more and whose `run_at` came by `$now` is ready.
 * @internal
 */
export function releaseDependantsOfAll(b: Builder): Statement {
  const now = param('now', 'bigint');
  return compile(
    b
      .updateTable('tasks')
      .from(
        b
          .selectFrom('task_dependencies')
          .select(['task_id as released_id', sql<number>`count(*)::int`.as('released')])
          .where(sql<boolean>`depends_on_id = any(${param('ids', 'text[]')})`)
          .groupBy('task_id')
          .as('edges'),
      )
      .set({
        waiting_on: sql`waiting_on - edges.released`,
        run_at: sql`case when waiting_on = edges.released and run_at <= ${now} then null else run_at end`,
        version: sql`version + 1`,
      })
      .where(sql<boolean>`tasks.id = edges.released_id`)
      .where(unfinished())
      .where('waiting_on', '>', 0),
  );
}

/** `dependency <cause> <$ending>`: why a task was cancelled for its dependency. */
const dependencyError = reasonTextSql(dialect, DEPENDENCY_REASON, {
  slots: { dependency: sql`doomed_cause`, ending: param('ending', 'text') },
});

/**
 * One level of a cancel cascade: every unfinished task that waits for one of `$frontier` (the tasks
 * that just ended) is CANCELLED, its error naming the smallest id among them it waited for and
 * `$ending`, with its history row. Returns the ids cancelled: the next level's frontier. Level by level
 * from the root, each task names the dependency nearest the root that took it down, and each level sees
 * dependants created while the level before ran.
 * @internal
 */
export function cancelDependantsLevel(b: Builder): Statement {
  const frontier = param('frontier', 'text[]');
  return compile(
    b
      .with('doomed', (db) =>
        db
          .selectFrom('tasks')
          .select([
            'seq as doomed_seq',
            'status as doomed_status',
            (eb) =>
              eb
                .selectFrom('task_dependencies as edge')
                .select(sql<string>`min(edge.depends_on_id collate "C")`.as('cause'))
                .whereRef('edge.task_id', '=', 'tasks.id')
                .where(sql<boolean>`edge.depends_on_id = any(${frontier})`)
                .as('doomed_cause'),
          ])
          .where(
            'id',
            'in',
            db.selectFrom('task_dependencies').select('task_id').where(sql<boolean>`depends_on_id = any(${frontier})`),
          )
          .where(unfinished())
          .forUpdate(),
      )
      .with('cancelled', (db) =>
        db
          .updateTable('tasks')
          .from('doomed')
          .set({
            status: sql.lit(TaskStatus.CANCELLED),
            error: dependencyError,
            updated_at: param('now', 'bigint'),
            lease_expires_at: null,
            run_at: null,
            version: sql`version + 1`,
          })
          .whereRef('tasks.seq', '=', 'doomed.doomed_seq')
          .returning(['tasks.id', 'tasks.assigned_agent', 'tasks.attempts', 'tasks.error', 'doomed.doomed_status']),
      )
      .with('logged', () =>
        insertHistory(b, 'cancelled', {
          taskId: 'id',
          from: 'doomed_status',
          to: sql.lit(TaskStatus.CANCELLED),
          agent: 'assigned_agent',
          attempt: 'attempts',
          at: param('now', 'bigint'),
          reason: 'error',
        }),
      )
      .selectFrom('cancelled')
      .select('id'),
  );
}
