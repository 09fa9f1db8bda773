import type { WrittenField } from '@omc/core';

/**
 * The column each task field is stored in, the same in every SQL adapter: the guide's table with
 * snake_case names, so its raw-SQL examples work on each.
 */
export const WRITTEN_FIELD_COLUMN: Readonly<Record<WrittenField, string>> = {
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

/** The column each field of a reason text reads. */
export const TEXT_FIELD_COLUMN = {
  attempts: 'attempts',
  maxAttempts: 'max_attempts',
  assignedAgent: 'assigned_agent',
  timeoutMs: 'timeout_ms',
} as const;

/** The column of each key of core's CLAIM_ORDER. */
export const CLAIM_ORDER_COLUMN = { priority: 'priority', createdAt: 'created_at', seq: 'seq' } as const;
