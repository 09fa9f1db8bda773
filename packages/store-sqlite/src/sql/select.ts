import { builder, compile, param } from '../query-builder.js';
import { TASK_COLUMNS } from '../schema.js';

/** @internal */
export const selectById = compile(
  builder.selectFrom('tasks').select(TASK_COLUMNS).where('id', '=', param<string>('id')),
);
