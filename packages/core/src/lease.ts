import { InvalidTransitionError, LeaseLostError } from './errors.js';
import { EXPIRY_REASON, renderText } from './reason-texts.js';
import { type Task, TaskStatus } from './task.js';
import {
  applyWrites,
  attemptDeadline,
  CLAIM_WRITES,
  COMPLETE_WRITES,
  HEARTBEAT_WRITES,
  START_WRITES,
} from './transition-writes.js';

// The lease rule lives with the transition data that applies it; exported from here as before.
export { attemptDeadline, leaseExpiry } from './transition-writes.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

/**
 * What a holder presents to write to the task it claimed: the task id and the fencing token of its
 * claim. A claimed `Task` is one, so `pool.completeTask(task, 'done')` works.
 */
export interface TaskLease {
  readonly id: string;
  readonly leaseToken: number;
}

/** Exponential backoff between a failed attempt and the next: `baseMs · 2^(attempt−1)`, capped at `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** A store's defaults for leases and retries. */
export interface LeasePolicy {
  /** Lease length for tasks created without `leaseMs`. */
  leaseMs: number;
  /** `maxAttempts` for tasks created without one. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

/**
 * The defaults: a 5-minute lease (long enough for the guide's workers, which never heartbeat; the swarm
 * heartbeats, so a crashed holder's task is back within one lease), 3 attempts, backoff from 1 s to 5 min.
 */
export const DEFAULT_LEASE_POLICY: Readonly<LeasePolicy> = Object.freeze({
  leaseMs: 5 * 60_000,
  maxAttempts: 3,
  backoff: Object.freeze({ baseMs: 1_000, maxMs: 5 * 60_000 }),
});

/** One recorded status change of a task. */
export interface TaskTransition {
  taskId: string;
  from: TaskStatus;
  to: TaskStatus;
  /** The holder concerned: the claimant, or the holder that finished, failed, released or lost it. */
  agent: string | undefined;
  /** The attempt the change belongs to (1 for the first claim). */
  attempt: number;
  at: number;
  /** Why, where there is more to say than the statuses: an error, "lease expired", a cancel reason. */
  reason: string | undefined;
}

/** What `failTask` did: requeued with a backoff, or failed for good. */
export interface FailureOutcome {
  status: typeof PENDING | typeof FAILED;
  /** The attempt that failed. */
  attempts: number;
  /** When requeued: not claimable before this time. */
  runAt: number | undefined;
}

/** What a sweep of expired leases did. */
export interface ReclaimReport {
  /** Tasks put back in line. */
  requeued: number;
  /** Tasks failed for good: their last attempt's lease expired. */
  failed: number;
}

/**
 * The delay before retry number `attempt` (1-based: the first failure's delay is about `baseMs`):
 * exponential, capped, with "equal jitter" (half fixed, half random) so a burst of failures does not
 * come back as a burst.
 *
 * ### Examples
 * ```ts
 * backoffDelayMs(3, { baseMs: 1000, maxMs: 60_000 }, Math.random); // between 2000 and 4000
 * ```
 */
export function backoffDelayMs(attempt: number, backoff: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Whether the lease ends at the attempt's deadline (a timeout) rather than for want of a heartbeat. */
function leaseEndedByTimeout(task: Task): boolean {
  const deadline = attemptDeadline(task);
  return deadline !== undefined && task.leaseExpiresAt !== undefined && deadline <= task.leaseExpiresAt;
}

/** Whether a held task's lease has run out at `now` (an expiry at exactly `now` has run out). */
export function isLeaseExpired(task: Task, now: number): boolean {
  return (
    (task.status === CLAIMED || task.status === IN_PROGRESS) &&
    task.leaseExpiresAt !== undefined &&
    task.leaseExpiresAt <= now
  );
}

/** Whether a task is claimable now: PENDING and due. */
export function isClaimable(task: Task, now: number): boolean {
  return task.status === PENDING && (task.runAt === undefined || task.runAt <= now);
}

/**
 * Why `lease` no longer holds `task` at `now`, as the error to throw, or `undefined` when it holds.
 * Every fenced write checks this first; a store that checks in SQL calls it to explain a refused write.
 */
export function leaseLoss(task: Task | null, lease: TaskLease, now: number): LeaseLostError | undefined {
  const id = lease.id;
  if (!task) return new LeaseLostError(id, 'deleted', undefined, `Task ${id} no longer exists; stop working on it.`);
  const { status } = task;
  if (task.leaseToken !== lease.leaseToken) {
    return new LeaseLostError(
      id,
      'superseded',
      status,
      `Task ${id} was claimed again (claim ${task.leaseToken}, yours was ${lease.leaseToken}); your lease is gone and nothing was written. Stop working on it.`,
    );
  }
  if (status === CANCELLED) {
    return new LeaseLostError(id, 'cancelled', status, `Task ${id} was cancelled; stop working on it.`);
  }
  if (status === COMPLETED || status === FAILED) {
    return new LeaseLostError(id, 'finished', status, `Task ${id} is already ${status}; nothing was written.`);
  }
  if (status === PENDING) {
    return new LeaseLostError(
      id,
      'requeued',
      status,
      `Task ${id} went back to pending (released, or its lease expired); nothing was written.`,
    );
  }
  if (isLeaseExpired(task, now)) {
    // What ended the lease, not what time it is now: a lease that lapsed for want of a heartbeat stays
    // "expired" when noticed after the deadline, as expiryReason records it.
    return leaseEndedByTimeout(task)
      ? new LeaseLostError(
          id,
          'timed_out',
          status,
          `Task ${id} timed out: attempt ${task.attempts} passed its ${task.timeoutMs} ms limit; nothing was written.`,
        )
      : new LeaseLostError(
          id,
          'expired',
          status,
          `The lease on task ${id} expired at ${new Date(task.leaseExpiresAt as number).toISOString()} without a heartbeat; nothing was written. Heartbeat more often than the lease length.`,
        );
  }
  return undefined;
}

/** Throw the {@link leaseLoss} error, if any. */
export function assertLeaseHeld(task: Task | null, lease: TaskLease, now: number): asserts task is Task {
  const lost = leaseLoss(task, lease, now);
  if (lost) throw lost;
}

// The hot-path transitions are data (transition-writes.ts): these planners apply it, and a database
// driver compiles the same data into its one-statement write.

/**
 * A ready task (pending, not delayed, waiting for nothing) claimed by `agent`: a new attempt, a new
 * fencing token, a fresh lease. {@link CLAIM_WRITES}.
 */
export function planClaim(task: Task, agent: string, now: number, leaseMs: number): Task {
  return applyWrites(task, CLAIM_WRITES, { now, leaseMs, agent });
}

/**
 * A held task renewed at `now`: the lease runs its full length again, up to the attempt's deadline.
 * {@link HEARTBEAT_WRITES}.
 */
export function planHeartbeat(task: Task, now: number, leaseMs: number): Task {
  return applyWrites(task, HEARTBEAT_WRITES, { now, leaseMs });
}

/** CLAIMED → IN_PROGRESS; already IN_PROGRESS stays as it is. {@link START_WRITES}. */
export function planStart(task: Task, now: number): Task {
  // Nothing to write for a task already started: the same object, as the writes would leave it equal.
  return task.status === IN_PROGRESS ? task : applyWrites(task, START_WRITES, { now, leaseMs: 0 });
}

/**
 * A held task done: COMPLETED with its result, the lease and any earlier attempt's error gone.
 * {@link COMPLETE_WRITES}.
 */
export function planComplete(task: Task, result: string | undefined, now: number): Task {
  return applyWrites(task, COMPLETE_WRITES, { now, leaseMs: 0, result });
}

/**
 * An attempt ended in failure (`error`), by the holder or by its lease running out. With attempts left
 * and `retry` allowed, the task goes back to PENDING, not claimable before `runAt` (`undefined`: at
 * once); otherwise it is FAILED. The error stays on the task either way.
 */
export function planAttemptFailure(task: Task, error: string, now: number, retry: boolean, runAt?: number): Task {
  const base = { ...task, error, updatedAt: now, leaseExpiresAt: undefined, result: undefined };
  if (retry && task.attempts < task.maxAttempts) {
    return { ...base, status: PENDING, assignedAgent: undefined, startedAt: undefined, runAt };
  }
  return { ...base, status: FAILED, completedAt: now };
}

/**
 * The holder failed its attempt: requeued after a backoff while attempts remain (unless `retry` is
 * false), FAILED otherwise.
 */
export function planFailure(
  task: Task,
  error: string,
  now: number,
  policy: Pick<LeasePolicy, 'backoff'>,
  random: () => number,
  retry = true,
): Task {
  return planAttemptFailure(task, error, now, retry, now + backoffDelayMs(task.attempts, policy.backoff, random));
}

/** The reason recorded when a lease ran out: a timeout, or a missed heartbeat. */
export function expiryReason(task: Task): string {
  return renderText(EXPIRY_REASON, { task, conditions: { timedOut: leaseEndedByTimeout(task) } });
}

/** A held task whose lease ran out: back in line at once while attempts remain, FAILED after the last. */
export function planExpiry(task: Task, now: number): Task {
  return planAttemptFailure(task, expiryReason(task), now, true);
}

/** The holder hands the task back unfinished (e.g. on shutdown): PENDING, and the attempt does not count. */
export function planRelease(task: Task, now: number): Task {
  return {
    ...task,
    status: PENDING,
    assignedAgent: undefined,
    startedAt: undefined,
    updatedAt: now,
    leaseExpiresAt: undefined,
    attempts: Math.max(0, task.attempts - 1),
  };
}

/** Cancel a task that is not finished; its holder, if any, learns at its next heartbeat. */
export function planCancel(task: Task, now: number): Task {
  if (task.status === COMPLETED || task.status === FAILED || task.status === CANCELLED) {
    throw new InvalidTransitionError(
      task.id,
      task.status,
      CANCELLED,
      `Task ${task.id} is already ${task.status}; only unfinished tasks can be cancelled.`,
    );
  }
  return { ...task, status: CANCELLED, updatedAt: now, leaseExpiresAt: undefined, runAt: undefined };
}

/**
 * Run a FAILED or CANCELLED task again on purpose: PENDING with its attempts reset, its history kept,
 * claimable from `runAt` (default: at once).
 */
export function planRetry(task: Task, now: number, runAt?: number): Task {
  if (task.status !== FAILED && task.status !== CANCELLED) {
    throw new InvalidTransitionError(
      task.id,
      task.status,
      PENDING,
      `Task ${task.id} is ${task.status}; only failed or cancelled tasks can be retried.`,
    );
  }
  return {
    ...task,
    status: PENDING,
    assignedAgent: undefined,
    startedAt: undefined,
    completedAt: undefined,
    result: undefined,
    updatedAt: now,
    attempts: 0,
    runAt: runAt !== undefined && runAt > now ? runAt : undefined,
  };
}

/** The transition record for a change from `before` to `after`. */
export function transitionRecord(before: Task, after: Task, at: number, reason: string | undefined): TaskTransition {
  return {
    taskId: before.id,
    from: before.status,
    to: after.status,
    agent: after.assignedAgent ?? before.assignedAgent,
    attempt: Math.max(before.attempts, after.attempts),
    at,
    reason,
  };
}
