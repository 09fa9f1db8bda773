import { type Steps, step } from '../driver/steps.js';
import type { TaskStoreDriver } from '../driver/task-store-driver.js';
import { unknownCursor } from '../errors.js';
import type { TaskTransition } from '../lease.js';
import { emptyStats, type Task, type TaskFilter, type TaskStats, TaskStatus } from '../task.js';
import { validateFilter, validateTaskId } from '../validation.js';
import { type StoreContext, start } from './store-context.js';

/** `getTask`. @internal */
export function* getTask(ctx: StoreContext, id: string): Steps<Task | null> {
  const taskId = validateTaskId(id);
  yield start('getTask', taskId);
  const stored = yield* step(ctx.driver.getTask(taskId));
  return stored ? stored.task : null;
}

/** `getTasks`: listing order, paged; an unknown cursor is refused. @internal */
export function* getTasks(ctx: StoreContext, filter?: TaskFilter): Steps<Task[]> {
  const valid = validateFilter(filter);
  yield start('getTasks', valid.after);
  const tasks = yield* step(ctx.driver.listTasks(valid));
  if (tasks === null) throw unknownCursor(valid.after as string);
  return tasks;
}

/**
 * `getStats`: the driver's counts assembled into the guide's shape. Completed is what remains, so a
 * driver never counts the history. @internal
 */
export function* getStats(ctx: StoreContext): Steps<TaskStats> {
  yield start('getStats', undefined);
  const counts = yield* step(ctx.driver.countTasks());
  const stats = emptyStats();
  stats.total = counts.total;
  stats.pending = counts.pending;
  stats.inProgress = counts.inProgress;
  stats.claimed = counts.held - counts.inProgress;
  stats.failed = counts.failed;
  stats.cancelled = counts.cancelled;
  stats.completed = stats.total - stats.pending - counts.held - stats.failed - stats.cancelled;
  return stats;
}

/** `getTaskHistory`. @internal */
export function* getTaskHistory(ctx: StoreContext, id: string): Steps<TaskTransition[]> {
  const taskId = validateTaskId(id);
  yield start('getTaskHistory', taskId);
  return yield* step(ctx.driver.getHistory(taskId));
}

/**
 * `deleteTask`: an unfinished task's dependants can never run, so they are cancelled, as if it had
 * failed; its edges go with it, both ways, in the same transaction. @internal
 */
export function* deleteTask(ctx: StoreContext, id: string): Steps<boolean> {
  const taskId = validateTaskId(id);
  ctx.recent.forget(taskId);
  const now = ctx.clock.now();
  yield start('deleteTask', taskId);
  const deleted = yield* step(ctx.driver.transaction((tx) => deleteIn(tx, taskId, now)));
  if (deleted) ctx.driver.changes.changed();
  return deleted;
}

function* deleteIn(tx: TaskStoreDriver, taskId: string, now: number): Steps<boolean> {
  const gone = yield* step(tx.deleteTask(taskId));
  if (!gone) return false;
  if (gone.hasDependants && gone.status !== TaskStatus.COMPLETED) {
    yield* step(tx.cancelDependants(taskId, 'was deleted', now));
  }
  yield* step(tx.dropEdges(gone));
  return true;
}

/** `clearAll`. @internal */
export function* clearAll(ctx: StoreContext): Steps<void> {
  ctx.recent.clear();
  yield start('clearAll', undefined);
  yield* step(ctx.driver.clearAll());
  ctx.driver.changes.changed();
}
