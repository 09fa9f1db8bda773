import { type Clock, systemClock } from './clock.js';
import { StoreClosedError, unknownCursor } from './errors.js';
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
  validateTaskId,
  validateUpdateInput,
} from './validation.js';

/** Options of {@link MemoryTaskStore}. */
export interface MemoryTaskStoreOptions {
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
  private readonly clock: Clock;
  private readonly limits: ValidationLimits;
  private nextSeq = 1;
  private closed = false;

  constructor(options: MemoryTaskStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.limits = { maxMetadataBytes: options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES };
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
      const task = newPendingTask(input, now);
      const stored = { seq: this.nextSeq++, task, metadataJson: input.metadataJson };
      this.tasks.set(task.id, stored);
      return this.read(stored);
    });
  }

  claimTask(agentName: string): Task | null {
    this.assertOpen('claimTask');
    const agent = validateAgentName(agentName);
    const next = this.sorted().find((stored) => stored.task.status === TaskStatus.PENDING);
    if (!next) return null;
    const now = this.clock.now();
    next.task = planUpdate(next.task, { status: TaskStatus.CLAIMED, assignedAgent: agent }, now);
    return this.read(next);
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
    stored.task = planUpdate(stored.task, fields, this.clock.now());
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
    return this.tasks.delete(validateTaskId(id));
  }

  clearAll(): void {
    this.assertOpen('clearAll');
    this.tasks.clear();
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
