import type { FieldWrite, TransitionWrites, WrittenField } from '@omc/core';
import { sql } from 'kysely';
import { WRITTEN_FIELD_COLUMN } from './columns.js';
import type { SqlDialect } from './dialect.js';
import { leaseUntil } from './lease-until.js';

/**
 * A hot-path transition's writes (core's data, which core's planner applies too) as the SET of one
 * UPDATE: constants compiled in, `now` and the caller's values bound by name, so the statement keeps its
 * one-statement speed and restates no rule. Columns in the order the data lists them; every column a
 * value reads is the row before the write, as the data means.
 *
 * ### Examples
 * ```ts
 * import { CLAIM_WRITES } from '@omc/core';
 * const claim = db.updateTable('tasks').set(transitionSet(dialect, CLAIM_WRITES));
 * ```
 */
export function transitionSet(dialect: SqlDialect, writes: TransitionWrites): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [field, write] of Object.entries(writes) as [WrittenField, FieldWrite][]) {
    const column = WRITTEN_FIELD_COLUMN[field];
    set[column] = columnValue(dialect, column, write);
  }
  return set;
}

function columnValue(dialect: SqlDialect, column: string, write: FieldWrite): unknown {
  switch (write.kind) {
    case 'value':
      return write.value === null ? null : sql.lit(write.value);
    case 'now':
      return dialect.param('now', 'bigint');
    case 'nowUnlessStatus':
      return sql`case when status = ${sql.lit(write.status)} then ${dialect.column(column)} else ${dialect.param('now', 'bigint')} end`;
    case 'plusOne':
      return sql<number>`${dialect.column(column)} + 1`;
    case 'param':
      return dialect.param(write.param, 'text');
    case 'lease':
      return leaseUntil(
        dialect,
        write.deadlineFrom === 'now'
          ? sql`${dialect.param('now', 'bigint')} + timeout_ms`
          : sql`started_at + timeout_ms`,
      );
  }
}
