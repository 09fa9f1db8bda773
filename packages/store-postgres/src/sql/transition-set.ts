import type { FieldWrite, TransitionWrites, WrittenField } from '@omc/core';
import { sql } from 'kysely';
import { param } from '../query-builder.js';
import type { TasksTable } from '../schema.js';
import { leaseUntil } from './fragments.js';

/** The column each written task field is stored in. */
const COLUMN: Readonly<Record<WrittenField, keyof TasksTable>> = {
  status: 'status',
  assignedAgent: 'assigned_agent',
  updatedAt: 'updated_at',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  result: 'result',
  error: 'error',
  runAt: 'run_at',
  attempts: 'attempts',
  leaseToken: 'lease_token',
  leaseExpiresAt: 'lease_expires_at',
};

/**
 * A hot-path transition's writes (core's data, which core's planner applies too) as the SET of one
 * UPDATE. In PostgreSQL every column a SET expression reads is the row before the update, as the data
 * requires.
 * @internal
 */
export function setFrom(writes: TransitionWrites): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [field, write] of Object.entries(writes) as [WrittenField, FieldWrite][]) {
    set[COLUMN[field]] = columnValue(COLUMN[field], write);
  }
  return set;
}

function columnValue(column: string, write: FieldWrite): unknown {
  switch (write.kind) {
    case 'value':
      return write.value === null ? null : sql.lit(write.value);
    case 'now':
      return param('now', 'bigint');
    case 'nowUnlessStatus':
      return sql`case when status = ${sql.lit(write.status)} then ${sql.ref(column)} else ${param('now', 'bigint')} end`;
    case 'plusOne':
      return sql`${sql.ref(column)} + 1`;
    case 'param':
      return param(write.param, 'text');
    case 'lease':
      return leaseUntil(
        write.deadlineFrom === 'now' ? sql`${param('now', 'bigint')} + timeout_ms` : sql`started_at + timeout_ms`,
      );
  }
}
