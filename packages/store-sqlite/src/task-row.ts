import type { Task, TaskPriority, TaskStatus } from '@omc/core';
import type { TaskRow } from './schema.js';

/** Turn a row (an array in `TASK_COLUMNS` order) into the camelCase task callers see. @internal */
export function taskFromRow(row: TaskRow): Task {
  const [, id, title, description, status, priority, agent, createdAt, updatedAt, startedAt, completedAt] = row;
  const [, , , , , , , , , , , result, error, metadata] = row;
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
  };
}
