import type { Task, TaskPriority, TaskStatus } from '@omc/core';
import type { StoredTask } from '@omc/core/driver';
import { ROW, type TaskRow } from './schema.js';

/** Turn a row (an array in `TASK_COLUMNS` order) into the camelCase task callers see. @internal */
export function taskFromRow(row: TaskRow): Task {
  const [
    ,
    id,
    title,
    description,
    status,
    priority,
    agent,
    createdAt,
    updatedAt,
    startedAt,
    completedAt,
    result,
    error,
    metadata,
    ,
    attempts,
    maxAttempts,
    runAt,
    leaseToken,
    leaseExpiresAt,
    leaseMs,
    timeoutMs,
    idempotencyKey,
    requires,
    dependsOn,
  ] = row;
  return {
    id,
    title,
    description,
    status: status as TaskStatus,
    priority: priority as TaskPriority,
    assignedAgent: agent ?? undefined,
    createdAt,
    updatedAt,
    startedAt: startedAt ?? undefined,
    completedAt: completedAt ?? undefined,
    result: result ?? undefined,
    error: error ?? undefined,
    metadata: metadata === null ? undefined : JSON.parse(metadata),
    attempts,
    maxAttempts,
    runAt: runAt ?? undefined,
    leaseToken,
    leaseExpiresAt: leaseExpiresAt ?? undefined,
    leaseMs: leaseMs ?? undefined,
    timeoutMs: timeoutMs ?? undefined,
    idempotencyKey: idempotencyKey ?? undefined,
    requires: requires === null ? undefined : JSON.parse(requires),
    dependsOn: dependsOn === null ? undefined : JSON.parse(dependsOn),
  };
}

/** A row as the store logic sees it: the task, its stored metadata text and its bookkeeping. @internal */
export function storedFromRow(row: TaskRow): StoredTask {
  return {
    task: taskFromRow(row),
    metadataJson: row[ROW.metadata] ?? undefined,
    seq: row[ROW.seq],
    version: row[ROW.version],
    hasDependants: row[ROW.hasDependants] === 1,
  };
}
