import { type Steps, step } from '../driver/steps.js';
import type { TaskStoreDriver } from '../driver/task-store-driver.js';
import { type LeaseLostError, StorageError } from '../errors.js';
import { leaseLoss, type TaskLease } from '../lease.js';
import type { LeaseWriteOutcome, MaybePromise, TaskCompletion } from '../task-store.js';
import { validateCompletions, validateLease, validateLeases, validateOptionalText } from '../validation.js';
import { type StoreContext, start } from './store-context.js';

// The holder's writes that the driver fences in storage (one statement each on a database): the store
// checks the input, asks the driver to write, and reads the task only to explain a refusal. The single
// writes use a bare `yield` (the driver's value comes back as is) rather than `yield* step(…)`: each
// generator level costs, and these are one driver call each.

/** `startTask`: CLAIMED → IN_PROGRESS, fenced. @internal */
export function* startTask(ctx: StoreContext, lease: TaskLease): Steps<void> {
  const valid = validateLease(lease);
  const now = ctx.clock.now();
  ctx.recent.forget(valid.id);
  yield start('startTask', valid.id);
  if (!((yield ctx.driver.startHeld(valid, now)) as boolean)) throw yield* leaseLossOf(ctx, valid, now);
  ctx.driver.changes.changed();
}

/** `startTasks`: each fenced on its own, in one transaction. @internal */
export function* startTasks(ctx: StoreContext, leases: readonly TaskLease[]): Steps<LeaseWriteOutcome[]> {
  const valid = validateLeases(leases);
  for (const lease of valid) ctx.recent.forget(lease.id);
  return yield* writeGroup(
    ctx,
    'startTasks',
    valid,
    (driver, lease, now) => driver.startHeld(lease, now),
    ctx.driver.startHeldAll === undefined
      ? undefined
      : (driver, leases, now) => driver.startHeldAll?.(leases, now) ?? [],
  );
}

/** `heartbeat`: the lease runs a full length from now, never past the timeout. @internal */
export function* heartbeat(ctx: StoreContext, lease: TaskLease): Steps<{ leaseExpiresAt: number }> {
  const valid = validateLease(lease);
  const now = ctx.clock.now();
  yield start('heartbeat', valid.id);
  const leaseExpiresAt = (yield ctx.driver.heartbeatHeld(valid, now, ctx.policy.leaseMs)) as number | undefined;
  if (leaseExpiresAt === undefined) throw yield* leaseLossOf(ctx, valid, now);
  // The remembered copy's lease is now stale; the version compare-and-set would catch it, at a cost.
  ctx.recent.forget(valid.id);
  ctx.driver.changes.changed();
  return { leaseExpiresAt };
}

/** `completeTask`: COMPLETED with `result`, fenced. @internal */
export function* completeTask(ctx: StoreContext, lease: TaskLease, result?: string): Steps<void> {
  const valid = validateLease(lease);
  const text = validateOptionalText('result', result, valid.id);
  const now = ctx.clock.now();
  ctx.recent.forget(valid.id);
  yield start('completeTask', valid.id);
  if (!((yield ctx.driver.completeHeld(valid, now, text)) as boolean)) throw yield* leaseLossOf(ctx, valid, now);
  ctx.driver.changes.changed();
}

/** `completeTasks`: each fenced on its own, in one transaction (one durable write). @internal */
export function* completeTasks(ctx: StoreContext, completions: readonly TaskCompletion[]): Steps<LeaseWriteOutcome[]> {
  const valid = validateCompletions(completions);
  for (const item of valid) ctx.recent.forget(item.id);
  return yield* writeGroup(
    ctx,
    'completeTasks',
    valid,
    (driver, item, now) => driver.completeHeld(item, now, item.result),
    ctx.driver.completeHeldAll === undefined
      ? undefined
      : (driver, items, now) => driver.completeHeldAll?.(items, now) ?? [],
  );
}

/**
 * The group's fenced writes as one atomic, durable write; an item whose write was refused reads its
 * task only to explain the refusal, and reports it instead of throwing. With the driver's grouped
 * method (`writeAll`) that is one driver call, its refusals explained after it as a single write's are
 * (a refused lease never holds again: its token is spent); otherwise each item in order, in one
 * transaction. A group naming a task twice takes the per-item path, so the second write sees the first.
 */
function* writeGroup<T extends TaskLease>(
  ctx: StoreContext,
  operation: string,
  items: readonly T[],
  write: (driver: TaskStoreDriver, item: T, now: number) => MaybePromise<boolean>,
  writeAll: ((driver: TaskStoreDriver, items: readonly T[], now: number) => MaybePromise<boolean[]>) | undefined,
): Steps<LeaseWriteOutcome[]> {
  if (items.length === 0) return [];
  const now = ctx.clock.now();
  yield start(operation, undefined);
  const outcomes =
    writeAll !== undefined && distinctIds(items)
      ? yield* explained(ctx, items, now, yield* step(writeAll(ctx.driver, items, now)))
      : yield* step(ctx.driver.transaction((tx) => writeEach(tx, items, now, write)));
  if (outcomes.some((outcome) => outcome.ok)) ctx.driver.changes.changed();
  return outcomes;
}

function distinctIds(items: readonly TaskLease[]): boolean {
  if (items.length === 1) return true;
  const ids = new Set<string>();
  for (const item of items) ids.add(item.id);
  return ids.size === items.length;
}

function* explained(
  ctx: StoreContext,
  items: readonly TaskLease[],
  now: number,
  written: readonly boolean[],
): Steps<LeaseWriteOutcome[]> {
  const outcomes: LeaseWriteOutcome[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as TaskLease;
    if (written[i] === true) outcomes.push({ id: item.id, ok: true });
    else outcomes.push({ id: item.id, ok: false, error: yield* leaseLossOf(ctx, item, now) });
  }
  return outcomes;
}

function* writeEach<T extends TaskLease>(
  tx: TaskStoreDriver,
  items: readonly T[],
  now: number,
  write: (driver: TaskStoreDriver, item: T, now: number) => MaybePromise<boolean>,
): Steps<LeaseWriteOutcome[]> {
  const outcomes: LeaseWriteOutcome[] = [];
  for (const item of items) {
    if (yield* step(write(tx, item, now))) outcomes.push({ id: item.id, ok: true });
    else outcomes.push({ id: item.id, ok: false, error: yield* leaseLossOf({ driver: tx }, item, now) });
  }
  return outcomes;
}

/** A fenced write was refused: read the task for the reason its lease no longer holds. @internal */
export function* leaseLossOf(ctx: Pick<StoreContext, 'driver'>, lease: TaskLease, now: number): Steps<LeaseLostError> {
  const stored = yield* step(ctx.driver.getTask(lease.id));
  const lost = leaseLoss(stored?.task ?? null, lease, now);
  if (lost) return lost;
  throw new StorageError(`A fenced write to task ${lease.id} was refused although its lease holds; retry it.`, {
    taskId: lease.id,
  });
}
