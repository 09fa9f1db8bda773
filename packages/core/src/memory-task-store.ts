import { type Clock, systemClock } from './clock.js';
import { StoreClosedError, unknownCursor } from './errors.js';
import {
  assertLeaseHeld,
  type FailureOutcome,
  isClaimable,
  isLeaseExpired,
  type LeaseOptions,
  type LeasePolicy,
  planCancel,
  planClaim,
  planComplete,
  planExpiry,
  planFailure,
  planHeartbeat,
  planRelease,
  planRetry,
  planStart,
  type ReclaimReport,
  resolveLeaseOptions,
  type TaskLease,
  type TaskTransition,
  transitionRecord,
} from './lease.js';
import { newPendingTask } from './new-task.js';
import {
  type CreateTaskInput,
  emptyStats,
  STATS_KEY,
  type Task,
  type TaskFilter,
  type TaskStats,
  TaskStatus,
  type UpdateTaskInput,
} from './task.js';
import { TASK_STORE_SPECIFICATION_VERSION, type TaskStore } from './task-store.js';
import { planUpdate } from './transitions.js';
import {
  DEFAULT_MAX_METADATA_BYTES,
  type ValidationLimits,
  validateAgentName,
  validateCreateInput,
  validateFilter,
  validateLease,
  validateOptionalText,
  validateTaskId,
  validateText,
  validateTime,
  validateUpdateInput,
} from './validation.js';

/** Options of {@link MemoryTaskStore}. */
export interface MemoryTaskStoreOptions extends LeaseOptions {
  clock?: Clock;
  maxMetadataBytes?: number;
}

interface StoredTask {
  seq: number;
  task: Task;
  /** Metadata is kept serialised, as a database would, so callers never share objects with the store. */
  metadataJson: string | undefined;
}

/**
 * The reference `TaskStore`: plain, obviously correct, in memory, synchronous. It defines what the
 * conformance suite expects and serves tests that need a store without a database.
 *
 * ### Examples
 * ```ts
 * import { MemoryTaskStore } from '@omc/core/testing';
 * const store = new MemoryTaskStore();
 * store.createTask({ title: 'a', description: 'b' });
 * store.claimTask('agent-1')?.status; // 'claimed'
 * ```
 */
export class MemoryTaskStore implements TaskStore {
  readonly specificationVersion = TASK_STORE_SPECIFICATION_VERSION;
  private readonly tasks = new Map<string, StoredTask>();
  private readonly history = new Map<string, TaskTransition[]>();
  private readonly idempotencyKeys = new Map<string, string>();
  private readonly clock: Clock;
  private readonly limits: ValidationLimits;
  private readonly policy: LeasePolicy;
  private readonly random: () => number;
  private nextSeq = 1;
  private closed = false;

  constructor(options: MemoryTaskStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.limits = { maxMetadataBytes: options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES };
    ({ policy: this.policy, random: this.random } = resolveLeaseOptions(options));
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new StoreClosedError(operation);
  }

  private read(stored: StoredTask): Task {
    return {
      ...stored.task,
      metadata: stored.metadataJson === undefined ? undefined : JSON.parse(stored.metadataJson),
    };
  }

  createTask(input: CreateTaskInput): Task {
    this.assertOpen('createTask');
    return this.createTasks([input])[0] as Task;
  }

  createTasks(inputs: readonly CreateTaskInput[]): Task[] {
    this.assertOpen('createTasks');
    const valid = inputs.map((input) => validateCreateInput(input, this.limits));
    const now = this.clock.now();
    return valid.map((input) => {
      const existingId =
        input.idempotencyKey === undefined ? undefined : this.idempotencyKeys.get(input.idempotencyKey);
      const existing = existingId === undefined ? undefined : this.tasks.get(existingId);
      if (existing) return this.read(existing);
      const task = newPendingTask(input, now, this.policy);
      const stored = { seq: this.nextSeq++, task, metadataJson: input.metadataJson };
      this.tasks.set(task.id, stored);
      if (input.idempotencyKey !== undefined) this.idempotencyKeys.set(input.idempotencyKey, task.id);
      return this.read(stored);
    });
  }

  claimTask(agentName: string): Task | null {
    this.assertOpen('claimTask');
    const agent = validateAgentName(agentName);
    const now = this.clock.now();
    this.reclaimAt(now);
    // Due delayed tasks become ready (runAt cleared), as a database store does when it promotes them.
    for (const stored of this.tasks.values()) {
      if (stored.task.runAt !== undefined && isClaimable(stored.task, now))
        stored.task = { ...stored.task, runAt: undefined };
    }
    const next = this.sorted().find((stored) => isClaimable(stored.task, now));
    if (!next) return null;
    this.apply(next, planClaim(next.task, agent, now, this.policy.leaseMs), now, undefined);
    return this.read(next);
  }

  startTask(lease: TaskLease): void {
    this.assertOpen('startTask');
    const { stored, now } = this.held(validateLease(lease));
    this.apply(stored, planStart(stored.task, now), now, undefined);
  }

  heartbeat(lease: TaskLease): { leaseExpiresAt: number } {
    this.assertOpen('heartbeat');
    const { stored, now } = this.held(validateLease(lease));
    stored.task = planHeartbeat(stored.task, now, this.policy.leaseMs);
    return { leaseExpiresAt: stored.task.leaseExpiresAt as number };
  }

  completeTask(lease: TaskLease, result?: string): void {
    this.assertOpen('completeTask');
    const valid = validateLease(lease);
    const text = validateOptionalText('result', result, valid.id);
    const { stored, now } = this.held(valid);
    this.apply(stored, planComplete(stored.task, text, now), now, undefined);
  }

  failTask(lease: TaskLease, error: string, options: { retry?: boolean } = {}): FailureOutcome {
    this.assertOpen('failTask');
    const valid = validateLease(lease);
    const message = validateText('error', error, valid.id);
    const { stored, now } = this.held(valid);
    const next = planFailure(stored.task, message, now, this.policy, this.random, options.retry !== false);
    this.apply(stored, next, now, message);
    return { status: next.status as FailureOutcome['status'], attempts: next.attempts, runAt: next.runAt };
  }

  releaseTask(lease: TaskLease, options: { reason?: string } = {}): void {
    this.assertOpen('releaseTask');
    const valid = validateLease(lease);
    const reason = validateOptionalText('reason', options.reason, valid.id);
    const { stored, now } = this.held(valid);
    this.apply(stored, planRelease(stored.task, now), now, reason ?? 'released by its holder');
  }

  cancelTask(id: string, options: { reason?: string } = {}): Task | null {
    this.assertOpen('cancelTask');
    const taskId = validateTaskId(id);
    const reason = validateOptionalText('reason', options.reason, taskId);
    const stored = this.tasks.get(taskId);
    if (!stored) return null;
    const now = this.clock.now();
    this.apply(stored, planCancel(stored.task, now), now, reason);
    return this.read(stored);
  }

  retryTask(id: string, options: { runAt?: number } = {}): Task | null {
    this.assertOpen('retryTask');
    const taskId = validateTaskId(id);
    const runAt = validateTime('runAt', options.runAt, taskId);
    const stored = this.tasks.get(taskId);
    if (!stored) return null;
    const now = this.clock.now();
    this.apply(stored, planRetry(stored.task, now, runAt), now, 'retried on request');
    return this.read(stored);
  }

  reclaimExpired(): ReclaimReport {
    this.assertOpen('reclaimExpired');
    return this.reclaimAt(this.clock.now());
  }

  getTaskHistory(id: string): TaskTransition[] {
    this.assertOpen('getTaskHistory');
    return (this.history.get(validateTaskId(id)) ?? []).map((entry) => ({ ...entry }));
  }

  /** Requeue or fail every task whose lease ran out by `now`. */
  private reclaimAt(now: number): ReclaimReport {
    const report: ReclaimReport = { requeued: 0, failed: 0 };
    for (const stored of this.tasks.values()) {
      if (!isLeaseExpired(stored.task, now)) continue;
      const next = planExpiry(stored.task, now);
      this.apply(stored, next, now, next.error);
      if (next.status === TaskStatus.FAILED) report.failed++;
      else report.requeued++;
    }
    return report;
  }

  /** The task a validated `lease` holds at this moment, or the LeaseLostError saying why not. */
  private held(lease: TaskLease): { stored: StoredTask; now: number } {
    const stored = this.tasks.get(lease.id);
    const now = this.clock.now();
    assertLeaseHeld(stored?.task ?? null, lease, now);
    return { stored: stored as StoredTask, now };
  }

  /** Store a decided next state, recording the transition when the status changed. */
  private apply(stored: StoredTask, next: Task, now: number, reason: string | undefined): void {
    if (next.status !== stored.task.status) {
      const entries = this.history.get(next.id) ?? [];
      entries.push(transitionRecord(stored.task, next, now, reason));
      this.history.set(next.id, entries);
    }
    stored.task = next;
  }

  getTask(id: string): Task | null {
    this.assertOpen('getTask');
    const stored = this.tasks.get(validateTaskId(id));
    return stored ? this.read(stored) : null;
  }

  updateTask(id: string, update: UpdateTaskInput): Task | null {
    this.assertOpen('updateTask');
    const taskId = validateTaskId(id);
    const valid = validateUpdateInput(taskId, update, this.limits);
    const stored = this.tasks.get(taskId);
    if (!stored) return null;
    const { metadataJson, ...fields } = valid;
    const now = this.clock.now();
    this.apply(stored, planUpdate(stored.task, fields, now, this.policy.leaseMs), now, undefined);
    if (valid.metadata !== undefined) stored.metadataJson = metadataJson;
    return this.read(stored);
  }

  getTasks(filter?: TaskFilter): Task[] {
    this.assertOpen('getTasks');
    const valid = validateFilter(filter);
    const sorted = this.sorted();
    let from = 0;
    if (valid.after !== undefined) {
      const cursor = this.tasks.get(valid.after);
      if (!cursor) throw unknownCursor(valid.after);
      from = sorted.indexOf(cursor) + 1;
    }
    const matching = sorted
      .slice(from)
      .filter(
        ({ task }) =>
          (valid.status === undefined || task.status === valid.status) &&
          (valid.priority === undefined || task.priority === valid.priority) &&
          (valid.assignedAgent === undefined || task.assignedAgent === valid.assignedAgent),
      );
    const start = valid.offset ?? 0;
    const end = valid.limit === undefined ? undefined : start + valid.limit;
    return matching.slice(start, end).map((stored) => this.read(stored));
  }

  getStats(): TaskStats {
    this.assertOpen('getStats');
    const stats = emptyStats();
    for (const { task } of this.tasks.values()) {
      stats[STATS_KEY[task.status]]++;
      stats.total++;
    }
    return stats;
  }

  deleteTask(id: string): boolean {
    this.assertOpen('deleteTask');
    const taskId = validateTaskId(id);
    const stored = this.tasks.get(taskId);
    if (!stored) return false;
    this.tasks.delete(taskId);
    this.history.delete(taskId);
    if (stored.task.idempotencyKey !== undefined) this.idempotencyKeys.delete(stored.task.idempotencyKey);
    return true;
  }

  clearAll(): void {
    this.assertOpen('clearAll');
    this.tasks.clear();
    this.history.clear();
    this.idempotencyKeys.clear();
  }

  close(): void {
    this.closed = true;
  }

  private sorted(): StoredTask[] {
    return [...this.tasks.values()].sort(
      (a, b) => b.task.priority - a.task.priority || a.task.createdAt - b.task.createdAt || a.seq - b.seq,
    );
  }
}
