import type { Clock } from '../clock.js';
import { OperationStart } from '../driver/steps.js';
import type { StoredTask, TaskStoreDriver } from '../driver/task-store-driver.js';
import type { LeasePolicy } from '../lease.js';
import type { Task } from '../task.js';
import type { ValidationLimits } from '../validation.js';

/** What every operation of the store logic works with: the driver and the store's settings. @internal */
export interface StoreContext {
  readonly driver: TaskStoreDriver;
  readonly clock: Clock;
  readonly limits: ValidationLimits;
  readonly policy: LeasePolicy;
  readonly random: () => number;
  readonly recent: RecentTasks;
  /** The `now` of the last upkeep check before a claim (see `upkeepOncePerMs`). */
  upkeepCheckedAt: number;
}

/**
 * What an operation yields once its input is checked: its storage work begins. The runner then calls the
 * driver's `beforeOperation` (read-only refusal, health checks) and turns any later error into a typed one
 * that names the operation and task (`translateError`). @internal
 */
export function start(operation: string, taskId: string | undefined): OperationStart {
  return new OperationStart(operation, taskId);
}

/** Enough for every task a busy worker holds at once. */
const MAX_RECENT_TASKS = 256;
const MAX_RECENT_TASK_CHARS = 16 * 1024;

/**
 * The tasks this store last claimed or wrote, by id (a few hundred at most): `updateTask` and the other
 * decided writes plan from one instead of reading it again; the version compare-and-set catches a task
 * changed since. @internal
 */
export class RecentTasks {
  private readonly entries = new Map<string, StoredTask>();

  /**
   * Keep a task, unless it is large; the oldest go first. `owned`: nobody else holds `stored.task` (so no
   * copy is needed); otherwise a copy is kept, so a caller changing the task it was handed cannot change
   * what is planned from.
   */
  remember(stored: StoredTask, owned = false): void {
    const { task, metadataJson } = stored;
    const size = (metadataJson?.length ?? 0) + (task.result?.length ?? 0) + (task.error?.length ?? 0);
    if (size > MAX_RECENT_TASK_CHARS) return;
    this.entries.set(task.id, owned ? stored : { ...stored, task: { ...task } });
    if (this.entries.size > MAX_RECENT_TASKS) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The remembered task, forgotten as it is handed out (it is about to be written, or is stale). */
  take(id: string): StoredTask | undefined {
    const stored = this.entries.get(id);
    if (stored) this.entries.delete(id);
    return stored;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A task to hand to a caller: its metadata parsed afresh and its arrays copied, sharing nothing. @internal */
export function detached(task: Task, metadataJson: string | undefined): Task {
  const { requires, dependsOn } = task;
  return {
    ...task,
    metadata: metadataJson === undefined ? undefined : JSON.parse(metadataJson),
    requires: requires === undefined ? undefined : [...requires],
    dependsOn: dependsOn === undefined ? undefined : [...dependsOn],
  };
}
