import { compareClaimOrder } from '../claim-rules.js';
import { endedAs } from '../dependency-rules.js';
import { type Steps, step } from '../driver/steps.js';
import type { ClaimRequest, StoredTask, TaskStoreDriver } from '../driver/task-store-driver.js';
import type { ReclaimReport } from '../lease.js';
import { type Task, TaskStatus } from '../task.js';
import type { ClaimOptions } from '../task-store.js';
import { validateAgentName, validateClaimLimit, validateClaimOptions } from '../validation.js';
import { type StoreContext, start } from './store-context.js';

/** `claimTask`: the next claimable task for the agent, or `null`. @internal */
export function* claimTask(ctx: StoreContext, agentName: string, options?: ClaimOptions): Steps<Task | null> {
  const agent = validateAgentName(agentName);
  const request = claimRequest(ctx, agent, 1, options === undefined ? NO_FILTER : validateClaimOptions(options));
  // The claim's steps written out here and in claimTasks rather than in a shared generator: on the hottest
  // path each generator level costs, most while the code is still warming up.
  yield start('claimTask', undefined);
  if (request.now !== ctx.upkeepCheckedAt && ctx.driver.claimUnlessUpkeepDue !== undefined) {
    return (yield* guardedClaim(ctx, request))[0] ?? null;
  }
  const reclaimed = request.now === ctx.upkeepCheckedAt ? false : yield* upkeepOncePerMs(ctx, request.now);
  const claimed = (yield ctx.driver.claimReady(request)) as StoredTask[];
  return claimedTasks(ctx, claimed, reclaimed)[0] ?? null;
}

/** `claimTasks`: up to `limit` tasks in claim order. @internal */
export function* claimTasks(
  ctx: StoreContext,
  agentName: string,
  limit: number,
  options?: ClaimOptions,
): Steps<Task[]> {
  const max = validateClaimLimit(limit);
  const agent = validateAgentName(agentName);
  const request = claimRequest(ctx, agent, max, validateClaimOptions(options));
  yield start('claimTasks', undefined);
  if (request.now !== ctx.upkeepCheckedAt && ctx.driver.claimUnlessUpkeepDue !== undefined) {
    return yield* guardedClaim(ctx, request);
  }
  const reclaimed = request.now === ctx.upkeepCheckedAt ? false : yield* upkeepOncePerMs(ctx, request.now);
  const claimed = (yield ctx.driver.claimReady(request)) as StoredTask[];
  return claimedTasks(ctx, claimed, reclaimed);
}

const NO_FILTER = { capabilities: undefined, exclusive: false };

/** What one claim asks the driver for. */
function claimRequest(
  ctx: StoreContext,
  agent: string,
  limit: number,
  filter: { capabilities: readonly string[] | undefined; exclusive: boolean },
): ClaimRequest {
  return {
    agent,
    now: ctx.clock.now(),
    leaseMs: ctx.policy.leaseMs,
    limit,
    capabilities: filter.capabilities,
    exclusive: filter.exclusive,
  };
}

/** The claimed tasks in claim order, remembered for the writes that follow; listeners told. */
function claimedTasks(ctx: StoreContext, claimed: StoredTask[], reclaimed: boolean): Task[] {
  if (claimed.length > 1) claimed.sort(compareClaimOrder);
  for (const stored of claimed) ctx.recent.remember(stored);
  if (claimed.length > 0 || reclaimed) ctx.driver.changes.changed();
  return claimed.map((stored) => stored.task);
}

// Every step below is a generator function declared once: a `function*` written inline would be created
// anew on every call, and V8 makes each with its own prototype object (measured: ~2 µs per call).

/**
 * Upkeep before a claim, at most once per millisecond: within one millisecond nothing new can expire or
 * come due (leases and delays always end in the future of the write that set them). Whether it
 * reclaimed anything.
 */
function* upkeepOncePerMs(ctx: StoreContext, now: number): Steps<boolean> {
  if (now === ctx.upkeepCheckedAt) return false;
  const reclaimed = yield* upkeep(ctx, now);
  ctx.upkeepCheckedAt = now;
  return reclaimed;
}

/**
 * A claim through the driver's `claimUnlessUpkeepDue`: the upkeep check and the claim in one call, so
 * the common claim is one round trip. When upkeep is due the driver claimed nothing: the upkeep runs
 * (as {@link upkeep} would), then the claim, so a reclaimed or promoted task is claimable by it.
 */
function* guardedClaim(ctx: StoreContext, request: ClaimRequest): Steps<Task[]> {
  const guarded = (yield ctx.driver.claimUnlessUpkeepDue?.(request)) as {
    claimed: StoredTask[];
    expired: boolean;
    due: boolean;
  };
  if (!guarded.expired && !guarded.due) {
    ctx.upkeepCheckedAt = request.now;
    return claimedTasks(ctx, guarded.claimed, false);
  }
  const reclaimed = yield* upkeepOf(ctx, request.now, guarded);
  ctx.upkeepCheckedAt = request.now;
  const claimed = (yield ctx.driver.claimReady(request)) as StoredTask[];
  return claimedTasks(ctx, claimed, reclaimed);
}

/**
 * Reclaim leases that ran out, then make due delayed tasks ready. A cheap read says whether either is
 * needed, so the common claim stays one write. Each step is atomic; a claim between them elsewhere sees
 * a consistent pool either way. Whether it reclaimed anything.
 */
function* upkeep(ctx: StoreContext, now: number): Steps<boolean> {
  return yield* upkeepOf(ctx, now, yield* step(ctx.driver.upkeepDue(now)));
}

/** The upkeep that `expired` and `due` say is needed. Whether it reclaimed anything. */
function* upkeepOf(
  ctx: StoreContext,
  now: number,
  { expired, due }: { expired: boolean; due: boolean },
): Steps<boolean> {
  const report = expired ? yield* reclaimAt(ctx, now) : undefined;
  if (due) yield* step(ctx.driver.promoteDue(now));
  return report !== undefined && report.requeued + report.failed > 0;
}

/**
 * Requeue or fail every task whose lease ran out by `now`, and cancel the dependants of those that
 * failed for good, in one transaction; count what it did. @internal
 */
export function* reclaimAt(ctx: StoreContext, now: number): Steps<ReclaimReport> {
  return yield* step(ctx.driver.transaction((tx) => reclaimIn(ctx, tx, now)));
}

function* reclaimIn(ctx: StoreContext, tx: TaskStoreDriver, now: number): Steps<ReclaimReport> {
  const report: ReclaimReport = { requeued: 0, failed: 0 };
  for (const { id, status, hasDependants } of yield* step(tx.reclaimExpired(now))) {
    ctx.recent.forget(id);
    if (status !== TaskStatus.FAILED) {
      report.requeued++;
      continue;
    }
    report.failed++;
    if (hasDependants) yield* step(tx.cancelDependants(id, endedAs(status), now));
  }
  return report;
}

/** `reclaimExpired`: settle the pool without claiming. @internal */
export function* reclaimExpired(ctx: StoreContext): Steps<ReclaimReport> {
  const now = ctx.clock.now();
  yield start('reclaimExpired', undefined);
  const report = yield* reclaimAt(ctx, now);
  if (report.requeued + report.failed > 0) ctx.driver.changes.changed();
  return report;
}
