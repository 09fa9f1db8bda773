import { DEFAULT_LEASE_POLICY } from './lease.js';
import { type Task, TaskStatus } from './task.js';
import { newTaskId } from './task-id.js';
import type { ValidCreateInput } from './validation.js';

/**
 * The task a store creates from a validated input: PENDING, the caller's id or a fresh one, both timestamps `now`, no
 * attempts yet, `maxAttempts` from the input or the store's default. Metadata is parsed back from its
 * JSON, so the caller's object and the stored task never alias.
 *
 * ### Examples
 * ```ts
 * const task = newPendingTask(validateCreateInput({ title: 'a', description: 'b' }), Date.now());
 * ```
 */
export function newPendingTask(
  input: ValidCreateInput,
  now: number,
  defaults: { maxAttempts: number } = DEFAULT_LEASE_POLICY,
): Task {
  return {
    id: input.id ?? newTaskId(),
    title: input.title,
    description: input.description,
    status: TaskStatus.PENDING,
    priority: input.priority,
    assignedAgent: undefined,
    createdAt: now,
    updatedAt: now,
    startedAt: undefined,
    completedAt: undefined,
    result: undefined,
    error: undefined,
    metadata: input.metadataJson === undefined ? undefined : JSON.parse(input.metadataJson),
    attempts: 0,
    maxAttempts: input.maxAttempts ?? defaults.maxAttempts,
    // A time already past is "now": the task is ready, not delayed.
    runAt: input.runAt !== undefined && input.runAt > now ? input.runAt : undefined,
    leaseToken: 0,
    leaseExpiresAt: undefined,
    leaseMs: input.leaseMs,
    timeoutMs: input.timeoutMs,
    idempotencyKey: input.idempotencyKey,
    requires: input.requires,
    dependsOn: input.dependsOn,
  };
}
