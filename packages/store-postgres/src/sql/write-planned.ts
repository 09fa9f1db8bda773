import { TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { HAS_PLANNED_HISTORY, insertHistory, PLANNED_HISTORY } from './history.js';

/**
 * Write a decided task over the row it was planned from: a compare-and-set on `$version`, so a row
 * anyone changed since it was read (another process, raw SQL) is left alone and read again. Writes its
 * history row (when `$historyFrom` is not null) in the same statement; `$recount`: a retried dependant
 * waits again for those of its dependencies (through its edges) not COMPLETED, counted in the write.
 * Returns one row when it wrote.
 * @internal
 */
export function writePlanned(b: Builder): Statement {
  return compile(
    b
      .with('written', (db) =>
        db
          .updateTable('tasks')
          .set({
            status: param('status', 'text'),
            assigned_agent: param('assigned_agent', 'text'),
            updated_at: param('updated_at', 'bigint'),
            started_at: param('started_at', 'bigint'),
            completed_at: param('completed_at', 'bigint'),
            result: param('result', 'text'),
            error: param('error', 'text'),
            metadata: param('metadata', 'text'),
            attempts: param('attempts', 'int'),
            run_at: param('run_at', 'bigint'),
            lease_token: param('lease_token', 'bigint'),
            lease_expires_at: param('lease_expires_at', 'bigint'),
            waiting_on: sql`case when ${param('recount', 'boolean')} then (${db
              .selectFrom('task_dependencies as edge')
              .innerJoin('tasks as dependency', 'dependency.id', 'edge.depends_on_id')
              .select(sql`count(*)::int`.as('open'))
              .where(sql<boolean>`edge.task_id = tasks.id`)
              .where('dependency.status', '<>', sql.lit(TaskStatus.COMPLETED))}) else waiting_on end`,
            version: sql`version + 1`,
          })
          .where('seq', '=', param('seq', 'bigint'))
          .where('version', '=', param('version', 'bigint'))
          .returning('id'),
      )
      .with('logged', () => insertHistory(b, 'written', PLANNED_HISTORY, HAS_PLANNED_HISTORY))
      .selectFrom('written')
      .select('id'),
  );
}

/**
 * Before a retried dependant is recounted: its dependencies' rows locked (shared), so none completes
 * between the count and the write (its release would not see the task as waiting).
 * @internal
 */
export function lockDependencies(b: Builder): Statement {
  return compile(
    b
      .selectFrom('tasks')
      .select('id')
      .where(
        'id',
        'in',
        b.selectFrom('task_dependencies').select('depends_on_id').where('task_id', '=', param('id', 'text')),
      )
      .orderBy('id')
      .forShare(),
  );
}
