import { ChangeListeners } from './change-listeners.js';
import type { Clock } from './clock.js';
import { dependantsEffect, endedAs, isEnded } from './dependency-rules.js';
import {
  InvalidInputError,
  StoreClosedError,
  selfDependency,
  taskIdTaken,
  unknownCursor,
  unknownDependency,
} from './errors.js';
import {
  assertLeaseHeld,
  type FailureOutcome,
  isClaimable,
  isLeaseExpired,
  type LeaseOptions,
  type LeasePolicy,
  leaseLoss,
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
import {
  type ClaimOptions,
  type LeaseWriteOutcome,
  TASK_STORE_SPECIFICATION_VERSION,
  type TaskCompletion,
  type TaskStore,
} from './task-store.js';
import { isTerminal, planUpdate } from './transitions.js';
import {
  resolveStoreOptions,
  type ValidationLimits,
  type ValidCreateInput,
  validateAgentName,
  validateClaimLimit,
  validateClaimOptions,
  validateCompletions,
  validateCreateInputs,
  validateFilter,
  validateLease,
  validateLeases,
  validateOptionalBoolean,
  validateOptionalText,
  validateOptions,
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
  /**
   * The dependencies the task still waits on or answers to: `dependsOn` less those deleted since, as a
   * database keeps edges. A deleted dependency's id stays in `dependsOn` but no longer counts, even when
   * a new task is created with it.
   */
  edges: string[];
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
  private readonly listeners = new ChangeListeners();
  private nextSeq = 1;
  private closed = false;

  constructor(options?: MemoryTaskStoreOptions) {
    ({
      clock: this.clock,
      limits: this.limits,
      policy: this.policy,
      random: this.random,
    } = resolveStoreOptions(options));
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new StoreClosedError(operation);
  }

  private read(stored: StoredTask): Task {
    const { requires, dependsOn } = stored.task;
    // Copies of every object the task holds: a caller changing what it got must not change the store.
    return {
      ...stored.task,
      metadata: stored.metadataJson === undefined ? undefined : JSON.parse(stored.metadataJson),
      requires: requires === undefined ? undefined : [...requires],
      dependsOn: dependsOn === undefined ? undefined : [...dependsOn],
    };
  }

  createTask(input: CreateTaskInput): Task {
    this.assertOpen('createTask');
    return this.createTasks([input])[0] as Task;
  }

  createTasks(inputs: readonly CreateTaskInput[]): Task[] {
    this.assertOpen('createTasks');
    const valid = validateCreateInputs(inputs, this.limits);
    // Every check comes before the first insert, so a refused batch inserts nothing.
    this.checkCreates(valid);
    const now = this.clock.now();
    let inserted = false;
    const created = valid.map((input) => {
      const existing = this.byIdempotencyKey(input.idempotencyKey);
      if (existing) return this.read(existing);
      inserted = true;
      const pending = newPendingTask(input, now, this.policy);
      const stored: StoredTask = {
        seq: this.nextSeq++,
        task: pending,
        metadataJson: input.metadataJson,
        edges: [...(pending.dependsOn ?? [])],
      };
      this.tasks.set(pending.id, stored);
      if (input.idempotencyKey !== undefined) this.idempotencyKeys.set(input.idempotencyKey, pending.id);
      const ended = this.endedDependency(pending);
      if (ended) this.apply(stored, { ...planCancel(pending, now), error: ended }, now, ended);
      return this.read(stored);
    });
    if (inserted) this.listeners.changed();
    return created;
  }

  private byIdempotencyKey(key: string | undefined): StoredTask | undefined {
    const id = key === undefined ? undefined : this.idempotencyKeys.get(key);
    return id === undefined ? undefined : this.tasks.get(id);
  }

  /**
   * Check that each input that will be inserted (its idempotency key is new) can be: its id is free, and
   * every dependency exists or comes earlier in the batch, and is not the task itself.
   */
  private checkCreates(valid: ValidCreateInput[]): void {
    const batchIds = new Set<string>();
    const batchKeys = new Set<string>();
    for (const input of valid) {
      const key = input.idempotencyKey;
      if (key !== undefined && (batchKeys.has(key) || this.byIdempotencyKey(key))) continue;
      if (key !== undefined) batchKeys.add(key);
      if (input.id !== undefined && (this.tasks.has(input.id) || batchIds.has(input.id))) {
        throw taskIdTaken(input.id);
      }
      for (const dependency of input.dependsOn ?? []) {
        if (dependency === input.id) {
          throw selfDependency(dependency);
        }
        if (!this.tasks.has(dependency) && !batchIds.has(dependency)) {
          throw unknownDependency(dependency, input.id);
        }
      }
      if (input.id !== undefined) batchIds.add(input.id);
    }
  }

  claimTask(agentName: string, options?: ClaimOptions): Task | null {
    this.assertOpen('claimTask');
    return this.claim(agentName, 1, options)[0] ?? null;
  }

  claimTasks(agentName: string, limit: number, options?: ClaimOptions): Task[] {
    this.assertOpen('claimTasks');
    return this.claim(agentName, validateClaimLimit(limit), options);
  }

  /** One atomic claim of up to `limit` tasks: the same choice `limit` single claims would make. */
  private claim(agentName: string, limit: number, options: ClaimOptions | undefined): Task[] {
    const agent = validateAgentName(agentName);
    const { capabilities, exclusive } = validateClaimOptions(options);
    const now = this.clock.now();
    const reclaimed = this.reclaimAt(now);
    // Due delayed tasks become ready (runAt cleared), as a database store does when it promotes them;
    // one still waiting for a dependency keeps its runAt until that dependency completes.
    for (const stored of this.tasks.values()) {
      if (stored.task.runAt !== undefined && isClaimable(stored.task, now) && this.dependenciesMet(stored))
        stored.task = { ...stored.task, runAt: undefined };
    }
    const claimed: Task[] = [];
    for (const stored of this.sorted()) {
      if (claimed.length === limit) break;
      if (!this.isClaimableBy(stored, capabilities, now)) continue;
      if (exclusive && stored.task.requires === undefined) continue;
      this.apply(stored, planClaim(stored.task, agent, now, this.policy.leaseMs), now, undefined);
      claimed.push(this.read(stored));
    }
    if (claimed.length > 0 || reclaimed.requeued + reclaimed.failed > 0) this.listeners.changed();
    return claimed;
  }

  /** Due, within the agent's capabilities, and every dependency COMPLETED. */
  private isClaimableBy(stored: StoredTask, capabilities: readonly string[] | undefined, now: number): boolean {
    const { task } = stored;
    if (!isClaimable(task, now)) return false;
    if (capabilities !== undefined && !(task.requires ?? []).every((need) => capabilities.includes(need))) {
      return false;
    }
    return this.dependenciesMet(stored);
  }

  /** Every dependency COMPLETED. */
  private dependenciesMet(stored: StoredTask): boolean {
    // A dependency deleted after it completed no longer holds the task back (its edge is gone); one
    // deleted before completing cancelled it.
    return stored.edges.every((id) => this.tasks.get(id)?.task.status === TaskStatus.COMPLETED);
  }

  /**
   * `id` just completed: each pending dependant it was the last to wait for, and whose runAt has come,
   * is ready at once (runAt cleared), as a database store releases it in the completing write.
   */
  private releaseDependants(id: string, now: number): void {
    for (const stored of this.tasks.values()) {
      const { task } = stored;
      if (task.runAt === undefined || !stored.edges.includes(id)) continue;
      if (isClaimable(task, now) && this.dependenciesMet(stored)) stored.task = { ...task, runAt: undefined };
    }
  }

  /** The cancel reason when a dependency of a new task has already failed or been cancelled. */
  private endedDependency(task: Task): string | undefined {
    for (const id of task.dependsOn ?? []) {
      const status = this.tasks.get(id)?.task.status;
      if (status !== undefined && isEnded(status)) return `dependency ${id} ${endedAs(status)}`;
    }
    return undefined;
  }

  startTask(lease: TaskLease): void {
    this.assertOpen('startTask');
    const { stored, now } = this.held(validateLease(lease));
    this.apply(stored, planStart(stored.task, now), now, undefined);
    this.listeners.changed();
  }

  startTasks(leases: readonly TaskLease[]): LeaseWriteOutcome[] {
    this.assertOpen('startTasks');
    const valid = validateLeases(leases);
    return this.writeGroup(valid, (stored, now) => this.apply(stored, planStart(stored.task, now), now, undefined));
  }

  heartbeat(lease: TaskLease): { leaseExpiresAt: number } {
    this.assertOpen('heartbeat');
    const { stored, now } = this.held(validateLease(lease));
    stored.task = planHeartbeat(stored.task, now, this.policy.leaseMs);
    this.listeners.changed();
    return { leaseExpiresAt: stored.task.leaseExpiresAt as number };
  }

  completeTask(lease: TaskLease, result?: string): void {
    this.assertOpen('completeTask');
    const valid = validateLease(lease);
    const text = validateOptionalText('result', result, valid.id);
    const { stored, now } = this.held(valid);
    this.apply(stored, planComplete(stored.task, text, now), now, undefined);
    this.listeners.changed();
  }

  completeTasks(completions: readonly TaskCompletion[]): LeaseWriteOutcome[] {
    this.assertOpen('completeTasks');
    const valid = validateCompletions(completions);
    return this.writeGroup(valid, (stored, now, item) =>
      this.apply(stored, planComplete(stored.task, item.result, now), now, undefined),
    );
  }

  /**
   * Apply one fenced write per item, in order, each checked against the state the earlier ones left: a
   * lost lease is that item's outcome, not an exception.
   */
  private writeGroup<T extends TaskLease>(
    items: readonly T[],
    write: (stored: StoredTask, now: number, item: T) => void,
  ): LeaseWriteOutcome[] {
    const now = this.clock.now();
    const outcomes = items.map((item): LeaseWriteOutcome => {
      const stored = this.tasks.get(item.id);
      const lost = leaseLoss(stored?.task ?? null, item, now);
      if (lost) return { id: item.id, ok: false, error: lost };
      write(stored as StoredTask, now, item);
      return { id: item.id, ok: true };
    });
    if (outcomes.some((outcome) => outcome.ok)) this.listeners.changed();
    return outcomes;
  }

  failTask(lease: TaskLease, error: string, options?: { retry?: boolean }): FailureOutcome {
    this.assertOpen('failTask');
    const valid = validateLease(lease);
    const message = validateText('error', error, valid.id);
    const retry = validateOptionalBoolean('retry', validateOptions('failTask', options).retry, valid.id);
    const { stored, now } = this.held(valid);
    const next = planFailure(stored.task, message, now, this.policy, this.random, retry !== false);
    this.apply(stored, next, now, message);
    this.listeners.changed();
    return { status: next.status as FailureOutcome['status'], attempts: next.attempts, runAt: next.runAt };
  }

  releaseTask(lease: TaskLease, options?: { reason?: string }): void {
    this.assertOpen('releaseTask');
    const valid = validateLease(lease);
    const reason = validateOptionalText('reason', validateOptions('releaseTask', options).reason, valid.id);
    const { stored, now } = this.held(valid);
    this.apply(stored, planRelease(stored.task, now), now, reason ?? 'released by its holder');
    this.listeners.changed();
  }

  cancelTask(id: string, options?: { reason?: string }): Task | null {
    this.assertOpen('cancelTask');
    const taskId = validateTaskId(id);
    const reason = validateOptionalText('reason', validateOptions('cancelTask', options).reason, taskId);
    const stored = this.tasks.get(taskId);
    if (!stored) return null;
    const now = this.clock.now();
    this.apply(stored, planCancel(stored.task, now), now, reason);
    this.listeners.changed();
    return this.read(stored);
  }

  retryTask(id: string, options?: { runAt?: number }): Task | null {
    this.assertOpen('retryTask');
    const taskId = validateTaskId(id);
    const runAt = validateTime('runAt', validateOptions('retryTask', options).runAt, taskId);
    const stored = this.tasks.get(taskId);
    if (!stored) return null;
    const now = this.clock.now();
    this.apply(stored, planRetry(stored.task, now, runAt), now, 'retried on request');
    this.listeners.changed();
    return this.read(stored);
  }

  reclaimExpired(): ReclaimReport {
    this.assertOpen('reclaimExpired');
    const report = this.reclaimAt(this.clock.now());
    if (report.requeued + report.failed > 0) this.listeners.changed();
    return report;
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

  /**
   * Store a decided next state, recording the transition when the status changed. A task that has just
   * FAILED or been CANCELLED takes its unfinished dependants with it.
   */
  private apply(stored: StoredTask, next: Task, now: number, reason: string | undefined): void {
    const before = stored.task;
    this.record(stored, next, now, reason);
    const effect = dependantsEffect(before.status, next.status);
    if (effect === 'release') this.releaseDependants(next.id, now);
    else if (effect !== undefined) this.cascade(next.id, endedAs(next.status), now);
  }

  private record(stored: StoredTask, next: Task, now: number, reason: string | undefined): void {
    if (next.status !== stored.task.status) {
      const entries = this.history.get(next.id) ?? [];
      entries.push(transitionRecord(stored.task, next, now, reason));
      this.history.set(next.id, entries);
    }
    stored.task = next;
  }

  /**
   * Cancel every unfinished task that waits on `rootId`, and theirs in turn, each naming the dependency
   * nearest the root that took it down; of several equally near, the smallest id, as a database store
   * picks it in one set-based statement.
   */
  private cascade(rootId: string, what: 'failed' | 'was cancelled' | 'was deleted', now: number): void {
    let frontier = new Map<string, string>([[rootId, what]]);
    while (frontier.size > 0) {
      const doomed: { stored: StoredTask; cause: string }[] = [];
      for (const stored of this.tasks.values()) {
        const { task } = stored;
        if (isTerminal(task.status)) continue;
        const causes = stored.edges.filter((id) => frontier.has(id)).sort();
        if (causes[0] !== undefined) doomed.push({ stored, cause: causes[0] });
      }
      const next = new Map<string, string>();
      for (const { stored, cause } of doomed) {
        const error = `dependency ${cause} ${frontier.get(cause)}`;
        this.record(stored, { ...planCancel(stored.task, now), error }, now, error);
        next.set(stored.task.id, 'was cancelled');
      }
      frontier = next;
    }
  }

  onChange(listener: () => void): () => void {
    this.assertOpen('onChange');
    if (typeof listener !== 'function') {
      throw new InvalidInputError('listener', 'onChange takes a function to call when the pool changes.');
    }
    return this.listeners.subscribe(listener);
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
    this.listeners.changed();
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
    if (stored.task.status !== TaskStatus.COMPLETED) this.cascade(taskId, 'was deleted', this.clock.now());
    // Its dependants forget it, as a database drops the edges: a new task given this id is not theirs.
    for (const other of this.tasks.values()) {
      if (other.edges.includes(taskId)) other.edges = other.edges.filter((edge) => edge !== taskId);
    }
    this.listeners.changed();
    return true;
  }

  clearAll(): void {
    this.assertOpen('clearAll');
    this.tasks.clear();
    this.history.clear();
    this.idempotencyKeys.clear();
    this.listeners.changed();
  }

  close(): void {
    this.closed = true;
    this.listeners.close();
  }

  private sorted(): StoredTask[] {
    return [...this.tasks.values()].sort(
      (a, b) => b.task.priority - a.task.priority || a.task.createdAt - b.task.createdAt || a.seq - b.seq,
    );
  }
}
