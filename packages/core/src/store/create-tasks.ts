import { endedAs, isEnded } from '../dependency-rules.js';
import { type Steps, step } from '../driver/steps.js';
import type { NewTaskRecord, TaskStoreDriver } from '../driver/task-store-driver.js';
import { StorageError, selfDependency, taskIdTaken, unknownDependency } from '../errors.js';
import { planCancel, transitionRecord } from '../lease.js';
import { newPendingTask } from '../new-task.js';
import { dependencyReason } from '../reason-texts.js';
import { type CreateTaskInput, type Task, TaskStatus } from '../task.js';
import { type ValidCreateInput, validateCreateInputs } from '../validation.js';
import { type StoreContext, start } from './store-context.js';

/**
 * `createTask` and `createTasks`, with the name the caller used, so a refusal names the call the user
 * made: every input checked, then one atomic insert. Tasks with idempotency keys or dependencies go in
 * one by one inside a transaction, each checked under its lock; the others in one driver write.
 * @internal
 */
export function* createTasks(
  ctx: StoreContext,
  inputs: readonly CreateTaskInput[],
  operation: 'createTask' | 'createTasks',
): Steps<Task[]> {
  const valid = validateCreateInputs(inputs, ctx.limits);
  const now = ctx.clock.now();
  const tasks = valid.map((input) => newPendingTask(input, now, ctx.policy));
  yield start(operation, undefined);
  const { driver } = ctx;
  if (valid.some((input) => input.idempotencyKey !== undefined || input.dependsOn !== undefined)) {
    const created = yield* step(driver.transaction((tx) => insertEachChecked(tx, tasks, valid)));
    // Only idempotent repeats (every task already existed) change nothing.
    if (created.some((task, i) => task.id === tasks[i]?.id)) driver.changes.changed();
    return created;
  }
  refuseRepeatedIds(valid);
  if (tasks.length === 0) return tasks;
  const records = tasks.map((task, i): NewTaskRecord => ({ task, metadataJson: valid[i]?.metadataJson }));
  // A bare `yield` on the hot path: no generator level for the driver's value.
  if (((yield driver.insertTasks(records)) as 'inserted' | 'id_taken') === 'id_taken') {
    yield* refuseTakenIds(driver, valid);
    throw new StorageError(`${operation} was refused for a taken id, but no task has one of the ids given; retry.`);
  }
  driver.changes.changed();
  return tasks;
}

/** Inside a transaction: each task inserted after its checks, in order, so later ones see earlier ones. */
function* insertEachChecked(tx: TaskStoreDriver, tasks: Task[], valid: ValidCreateInput[]): Steps<Task[]> {
  const created: Task[] = [];
  for (const [i, task] of tasks.entries()) created.push(yield* insertChecked(tx, task, valid[i] as ValidCreateInput));
  return created;
}

/**
 * Insert one new task; with an idempotency key already taken, return the task that has it instead. A
 * dependency that does not exist refuses the batch, one already FAILED or CANCELLED creates the task
 * CANCELLED, and each one not yet COMPLETED gets an edge and the task waits for it.
 */
function* insertChecked(tx: TaskStoreDriver, task: Task, input: ValidCreateInput): Steps<Task> {
  const record: NewTaskRecord = { task, metadataJson: input.metadataJson };
  const plain = task.idempotencyKey === undefined && task.dependsOn === undefined;
  if (task.idempotencyKey !== undefined) {
    const existing = yield* step(tx.getTaskByIdempotencyKey(task.idempotencyKey));
    if (existing) return existing.task;
  }
  if (plain) {
    if ((yield* step(tx.insertTasks([record]))) === 'id_taken') throw taskIdTaken(task.id);
    return task;
  }
  if (input.id !== undefined) yield* refuseTakenIds(tx, [input]);
  const { open, ended } = yield* checkDependencies(tx, task, input.id);
  const created = ended === undefined ? task : { ...planCancel(task, task.createdAt), error: ended };
  const transition = ended === undefined ? undefined : transitionRecord(task, created, task.createdAt, ended);
  yield* step(tx.insertCheckedTask({ ...record, task: created, transition, waitingOn: open }));
  return created;
}

/**
 * A new task's dependencies, read under the write lock: those not yet COMPLETED (`open`), and why the
 * task is cancelled at once (`ended`) when one of them already FAILED or was CANCELLED. Throws for a
 * dependency that does not exist, or the task itself.
 */
function* checkDependencies(
  tx: TaskStoreDriver,
  task: Task,
  callerId: string | undefined,
): Steps<{ open: string[]; ended: string | undefined }> {
  const dependsOn = task.dependsOn;
  if (dependsOn === undefined) return { open: [], ended: undefined };
  const statuses = yield* step(tx.getStatuses(dependsOn));
  const open: string[] = [];
  let ended: string | undefined;
  for (const id of dependsOn) {
    if (id === task.id) throw selfDependency(id);
    const status = statuses.get(id);
    if (status === undefined) throw unknownDependency(id, callerId);
    if (status === TaskStatus.COMPLETED) continue;
    open.push(id);
    if (ended === undefined && isEnded(status)) ended = dependencyReason(id, endedAs(status));
  }
  return { open, ended };
}

/** Throw for the first caller-chosen id of `valid` that a task already has, if any. */
function* refuseTakenIds(driver: TaskStoreDriver, valid: readonly ValidCreateInput[]): Steps<void> {
  const chosen = valid.flatMap((input) => (input.id === undefined ? [] : [input.id]));
  if (chosen.length === 0) return;
  const taken = yield* step(driver.getStatuses(chosen));
  const first = chosen.find((id) => taken.has(id));
  if (first !== undefined) throw taskIdTaken(first);
}

/** Refuse a batch that gives two new tasks one id (a repeated idempotency key is one task, not two). */
function refuseRepeatedIds(valid: readonly ValidCreateInput[]): void {
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const input of valid) {
    if (input.idempotencyKey !== undefined) {
      if (keys.has(input.idempotencyKey)) continue;
      keys.add(input.idempotencyKey);
    }
    if (input.id === undefined) continue;
    if (ids.has(input.id)) throw taskIdTaken(input.id);
    ids.add(input.id);
  }
}
