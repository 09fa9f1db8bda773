import { sql } from 'kysely';
import { builder, compile, param } from '../query-builder.js';
import { unfinished } from './fragments.js';

/**
 * `:id` completed: each unfinished task waiting for it waits for one dependency fewer. One that waits for
 * nothing more enters the claim index (or the delayed one, while its `run_at` is ahead). Found through
 * the dependency table's key, then each by its id.
 * @internal
 */
export const releaseDependants = compile(
  builder
    .updateTable('tasks')
    .set({
      waiting_on: sql<number>`waiting_on - 1`,
      run_at: sql<
        number | null
      >`case when waiting_on = 1 and run_at <= ${param<number>('now')} then null else run_at end`,
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .where(
      'id',
      'in',
      builder.selectFrom('task_dependencies').select('task_id').where('depends_on_id', '=', param<string>('id')),
    )
    .where(unfinished('status'))
    .where('waiting_on', '>', sql.lit(0)),
);
