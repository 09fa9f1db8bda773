import { sql } from 'kysely';
import { type Builder, compile, param, rawText, Statement } from '../query-builder.js';

/** Delete a task and its history, returning what its dependency bookkeeping needs. @internal */
export function deleteTask(b: Builder): Statement {
  return compile(
    b
      .with('deleted', (db) =>
        db
          .deleteFrom('tasks')
          .where('id', '=', param('id', 'text'))
          .returning(['status', 'has_dependants', 'depends_on']),
      )
      .with('forgotten', (db) => db.deleteFrom('task_history').where('task_id', '=', param('id', 'text')))
      .selectFrom('deleted')
      .selectAll(),
  );
}

/** A deleted task's edges, both ways: to its dependants and from its own dependencies. @internal */
export function dropEdges(b: Builder): Statement {
  return compile(
    b
      .with('to_dependants', (db) =>
        db.deleteFrom('task_dependencies').where('depends_on_id', '=', param('id', 'text')),
      )
      .deleteFrom('task_dependencies')
      .where('task_id', '=', param('id', 'text')),
  );
}

/**
 * Every task, edge and history row; the truncate trigger sets the counters to zero. TRUNCATE waits for
 * every transaction that reads the tables, and is one step however many rows there are.
 * @internal
 */
export function clearAll(schema: string): Statement {
  const tables = sql.join(['tasks', 'task_dependencies', 'task_history'].map((name) => sql.id(schema, name)));
  return new Statement(rawText(sql`truncate ${tables}`), []);
}
