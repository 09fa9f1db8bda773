import type { Task, TaskPriority, TaskStatus } from '@omc/core';
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

/**
 * The row a task is stored as after a write to the row `base`: the inverse of {@link taskFromRow}, with
 * the values only the table holds, and those no write changes, taken from `base`. `metadataJson` is the
 * metadata as stored (the task's object is a parsed copy). @internal
 */
export function rowFromTask(task: Task, base: TaskRow, metadataJson: string | null, version: number): TaskRow {
  return [
    base[ROW.seq],
    task.id,
    task.title,
    task.description,
    task.status,
    task.priority,
    task.assignedAgent ?? null,
    task.createdAt,
    task.updatedAt,
    task.startedAt ?? null,
    task.completedAt ?? null,
    task.result ?? null,
    task.error ?? null,
    metadataJson,
    version,
    task.attempts,
    task.maxAttempts,
    task.runAt ?? null,
    task.leaseToken,
    task.leaseExpiresAt ?? null,
    task.leaseMs ?? null,
    task.timeoutMs ?? null,
    task.idempotencyKey ?? null,
    base[ROW.requires],
    base[ROW.dependsOn],
    base[ROW.hasDependants],
  ];
}
