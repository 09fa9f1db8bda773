import { sql } from 'kysely';
import { builder, compile, param } from '../query-builder.js';

/** Delete a task, returning what its dependency bookkeeping needs. @internal */
export const deleteReturning = compile(
  builder
    .deleteFrom('tasks')
    .where('id', '=', param<string>('id'))
    .returning(['status', 'has_dependants', 'depends_on']),
);

/** A deleted task's edges to its dependants. @internal */
export const deleteEdgesFrom = compile(
  builder.deleteFrom('task_dependencies').where('depends_on_id', '=', param<string>('id')),
);

/** A deleted task's edges from its own dependencies (`:dependsOn`, its JSON list). @internal */
export const deleteEdgesTo = compile(
  builder
    .deleteFrom('task_dependencies')
    .where('depends_on_id', 'in', sql<string>`(select value from json_each(${param('dependsOn')}))`)
    .where('task_id', '=', param<string>('id')),
);

/** @internal */
export const deleteAllEdges = compile(builder.deleteFrom('task_dependencies'));

/** @internal */
export const deleteAll = compile(builder.deleteFrom('tasks'));
