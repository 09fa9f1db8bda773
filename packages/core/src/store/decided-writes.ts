import { dependantsEffect, endedAs, isEnded } from '../dependency-rules.js';
import type { Steps } from '../driver/steps.js';
import type { DependencyEnding, StoredTask } from '../driver/task-store-driver.js';
import { StorageError } from '../errors.js';
import {
  assertLeaseHeld,
  type FailureOutcome,
  planCancel,
  planFailure,
  planRelease,
  planRetry,
  type TaskLease,
  transitionRecord,
} from '../lease.js';
import { type Task, TaskStatus, type UpdateTaskInput } from '../task.js';
import { isTerminal, planUpdate } from '../transitions.js';
import {
  validateLease,
  validateOptionalBoolean,
  validateOptionalText,
  validateOptions,
  validateTaskId,
  validateText,
  validateTime,
  validateUpdateInput,
} from '../validation.js';
import { leaseLossOf } from './fenced-writes.js';
import { detached, type StoreContext, start } from './store-context.js';

/** What an operation decided for a task: its next state, and why (for the history). */
interface Decision {
  next: Task;
  reason: string | undefined;
}

/** Compare-and-set rounds before a decided write reports contention instead of spinning. */
const MAX_DECISION_ATTEMPTS = 50;

/**
 * Read a task, let core decide its next state, and write it if the stored version has not moved;
 * decide again on a fresh read when it has. No lock is held while deciding, so a slow decision never
 * blocks other writers. `null` when there is no such task.
 */
function* writeDecision(
  ctx: StoreContext,
  operation: string,
  taskId: string,
  decide: (task: Task, now: number) => Decision,
  metadataJson?: string,
): Steps<Task | null> {
  yield start(operation, taskId);
  for (let attempt = 0; attempt < MAX_DECISION_ATTEMPTS; attempt++) {
    const remembered = attempt === 0 ? ctx.recent.take(taskId) : undefined;
    // Not `remembered ?? (yield* …)`: the CommonJS build rewrites `??` into an arrow, where yield is illegal.
    const before = (remembered !== undefined ? remembered : yield ctx.driver.getTask(taskId)) as StoredTask | null;
    if (!before) return null;
    const current = before.task;
    let decision: Decision;
    try {
      decision = decide(current, ctx.clock.now());
    } catch (error) {
      if (remembered) continue; // decided on a copy that may be stale: decide again on a fresh read
      throw error;
    }
    const { next, reason } = decision;
    const storedMetadata = metadataJson ?? before.metadataJson;
    // A bare `yield` on the hot path: the driver's value comes back as is, with no generator level for it.
    const written = (yield ctx.driver.writeIfVersion({
      before,
      next,
      metadataJson: storedMetadata,
      transition: next.status === current.status ? undefined : transitionRecord(current, next, next.updatedAt, reason),
      // Back in line from FAILED or CANCELLED (a retry): count again what it waits for.
      recount: next.status === TaskStatus.PENDING && isEnded(current.status) && current.dependsOn !== undefined,
      dependants: before.hasDependants ? dependencyEffect(current.status, next.status) : undefined,
    })) as boolean;
    if (!written) continue;
    const stored: StoredTask = { ...before, task: next, version: before.version + 1, metadataJson: storedMetadata };
    // The caller gets a detached copy, so the planned task itself is the store's to keep.
    if (!isTerminal(next.status)) ctx.recent.remember(stored, true);
    ctx.driver.changes.changed();
    return detached(next, stored.metadataJson);
  }
  throw new StorageError(
    `${operation} gave up on task ${taskId}: another writer changed it before each of ${MAX_DECISION_ATTEMPTS} attempts. Retry, or find what rewrites it in a loop.`,
    { taskId },
  );
}

/** What a status change does to the task's dependants, as the driver applies it. */
function dependencyEffect(from: TaskStatus, to: TaskStatus): 'release' | DependencyEnding | undefined {
  const effect = dependantsEffect(from, to);
  return effect === undefined || effect === 'release' ? effect : endedAs(effect);
}

/**
 * `updateTask`: any allowed change, through the transition table. A plain function that checks its input
 * and hands over writeDecision's steps: one generator level fewer on the guide's hot path. @internal
 */
export function updateTask(ctx: StoreContext, id: string, update: UpdateTaskInput): Steps<Task | null> {
  const taskId = validateTaskId(id);
  const { metadataJson, ...fields } = validateUpdateInput(taskId, update, ctx.limits);
  return writeDecision(
    ctx,
    'updateTask',
    taskId,
    (task, now) => ({ next: planUpdate(task, fields, now, ctx.policy.leaseMs), reason: undefined }),
    metadataJson,
  );
}

/** `failTask`: requeued after a backoff while attempts remain, FAILED otherwise. Fenced. @internal */
export function* failTask(
  ctx: StoreContext,
  lease: TaskLease,
  error: string,
  options?: { retry?: boolean },
): Steps<FailureOutcome> {
  const valid = validateLease(lease);
  const message = validateText('error', error, valid.id);
  const retry = validateOptionalBoolean('retry', validateOptions('failTask', options).retry, valid.id) !== false;
  const next = yield* writeDecision(ctx, 'failTask', valid.id, (task, now) => {
    assertLeaseHeld(task, valid, now);
    return { next: planFailure(task, message, now, ctx.policy, ctx.random, retry), reason: message };
  });
  if (!next) throw yield* leaseLossOf(ctx, valid, ctx.clock.now());
  return { status: next.status as FailureOutcome['status'], attempts: next.attempts, runAt: next.runAt };
}

/** `releaseTask`: PENDING at once, the attempt not counted. Fenced. @internal */
export function* releaseTask(ctx: StoreContext, lease: TaskLease, options?: { reason?: string }): Steps<void> {
  const valid = validateLease(lease);
  const reason =
    validateOptionalText('reason', validateOptions('releaseTask', options).reason, valid.id) ??
    'released by its holder';
  const released = yield* writeDecision(ctx, 'releaseTask', valid.id, (task, now) => {
    assertLeaseHeld(task, valid, now);
    return { next: planRelease(task, now), reason };
  });
  if (!released) throw yield* leaseLossOf(ctx, valid, ctx.clock.now());
}

/** `cancelTask`: the operator's path, no lease needed. @internal */
export function cancelTask(ctx: StoreContext, id: string, options?: { reason?: string }): Steps<Task | null> {
  const taskId = validateTaskId(id);
  const reason = validateOptionalText('reason', validateOptions('cancelTask', options).reason, taskId);
  return writeDecision(ctx, 'cancelTask', taskId, (task, now) => ({ next: planCancel(task, now), reason }));
}

/** `retryTask`: a FAILED or CANCELLED task PENDING again, from `runAt`. @internal */
export function retryTask(ctx: StoreContext, id: string, options?: { runAt?: number }): Steps<Task | null> {
  const taskId = validateTaskId(id);
  const runAt = validateTime('runAt', validateOptions('retryTask', options).runAt, taskId);
  return writeDecision(ctx, 'retryTask', taskId, (task, now) => ({
    next: planRetry(task, now, runAt),
    reason: 'retried on request',
  }));
}
