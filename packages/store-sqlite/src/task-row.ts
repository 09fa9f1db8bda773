import type { Task, TaskPriority, TaskStatus } from '@omc/core';
import type { TaskRow } from './schema.js';

/** Turn a snake_case row into the camelCase task callers see. @internal */
export function taskFromRow(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status as TaskStatus,
    priority: row.priority as TaskPriority,
    assignedAgent: row.assigned_agent ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at ?? undefined,
    completedAt: row.completed_at ?? undefined,
    result: row.result ?? undefined,
    error: row.error ?? undefined,
    metadata: row.metadata === null ? undefined : JSON.parse(row.metadata),
  };
}
