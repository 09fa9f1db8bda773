import type { Task, TaskPriority, TaskStatus, TaskTransition } from '@omc/core';
import type { StoredTask } from '@omc/core/driver';
import type { TaskRow } from './schema.js';

/** A `bigint` column's value as a number: `pg` gives a string unless the pool parses int8 (ours does). */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function optionalNum(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : num(value);
}

function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : (value as string);
}

function optionalArray(value: unknown): string[] | undefined {
  return value === null || value === undefined ? undefined : [...(value as string[])];
}

/** A row as the store logic sees it: the task, its stored metadata text and its bookkeeping. @internal */
export function storedFromRow(row: TaskRow): StoredTask {
  const metadata = optionalText(row.metadata);
  const task: Task = {
    id: row.id as string,
    title: row.title as string,
    description: row.description as string,
    status: row.status as TaskStatus,
    priority: row.priority as TaskPriority,
    assignedAgent: optionalText(row.assigned_agent),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    startedAt: optionalNum(row.started_at),
    completedAt: optionalNum(row.completed_at),
    result: optionalText(row.result),
    error: optionalText(row.error),
    metadata: metadata === undefined ? undefined : JSON.parse(metadata),
    attempts: row.attempts as number,
    maxAttempts: row.max_attempts as number,
    runAt: optionalNum(row.run_at),
    leaseToken: num(row.lease_token),
    leaseExpiresAt: optionalNum(row.lease_expires_at),
    leaseMs: optionalNum(row.lease_ms),
    timeoutMs: optionalNum(row.timeout_ms),
    idempotencyKey: optionalText(row.idempotency_key),
    requires: optionalArray(row.requires),
    dependsOn: optionalArray(row.depends_on),
  };
  return {
    task,
    metadataJson: metadata,
    seq: num(row.seq),
    version: num(row.version),
    hasDependants: row.has_dependants === true,
  };
}

/** A `task_history` row. @internal */
export interface HistoryRow {
  task_id: string;
  from_status: string;
  to_status: string;
  agent: string | null;
  attempt: number;
  at: unknown;
  reason: string | null;
}

/** @internal */
export function transitionFromRow(row: HistoryRow): TaskTransition {
  return {
    taskId: row.task_id,
    from: row.from_status as TaskStatus,
    to: row.to_status as TaskStatus,
    agent: row.agent ?? undefined,
    attempt: row.attempt,
    at: num(row.at),
    reason: row.reason ?? undefined,
  };
}
