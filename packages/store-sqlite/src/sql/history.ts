import { builder, compile, param } from '../query-builder.js';

/** A task's history lines. @internal */
export const selectHistory = compile(
  builder.selectFrom('tasks').select(['history', 'created_at']).where('id', '=', param<string>('id')),
);
