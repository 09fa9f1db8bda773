import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidTransitionError, LeaseLostError } from '../src/errors.js';
import {
  assertLeaseHeld,
  attemptDeadline,
  backoffDelayMs,
  DEFAULT_LEASE_POLICY,
  expiryReason,
  isClaimable,
  isLeaseExpired,
  leaseExpiry,
  leaseLoss,
  planAttemptFailure,
  planCancel,
  planClaim,
  planComplete,
  planExpiry,
  planFailure,
  planHeartbeat,
  planRelease,
  planRetry,
  planStart,
  transitionRecord,
} from '../src/lease.js';
import { type LeaseOptions, resolveLeaseOptions } from '../src/lease-options.js';
import { type Task, TaskPriority, TaskStatus } from '../src/task.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

const NOW = 1_000_000;
const LEASE_MS = 30_000;
const BACKOFF = { baseMs: 1_000, maxMs: 60_000 };

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 'task-1',
    title: 't',
    description: 'd',
    status: PENDING,
    priority: TaskPriority.MEDIUM,
    createdAt: 1,
    updatedAt: 1,
    attempts: 0,
    maxAttempts: 3,
    leaseToken: 0,
    ...overrides,
  };
}

/** A task claimed by agent `a` at `startedAt`, on its attempt `attempts`, holding token `leaseToken`. */
function held(overrides: Partial<Task> = {}): Task {
  return task({
    status: CLAIMED,
    assignedAgent: 'a',
    startedAt: NOW,
    updatedAt: NOW,
    attempts: 1,
    leaseToken: 1,
    leaseExpiresAt: NOW + LEASE_MS,
    ...overrides,
  });
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('DEFAULT_LEASE_POLICY', () => {
  it('is a 5-minute lease, 3 attempts, backoff from 1 s to 5 min, and frozen', () => {
    expect(DEFAULT_LEASE_POLICY).toEqual({
      leaseMs: 300_000,
      maxAttempts: 3,
      backoff: { baseMs: 1_000, maxMs: 300_000 },
    });
    expect(Object.isFrozen(DEFAULT_LEASE_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_LEASE_POLICY.backoff)).toBe(true);
  });
});

describe('backoffDelayMs', () => {
  it('is half the ceiling with random() = 0 and the whole ceiling with random() → 1', () => {
    expect(backoffDelayMs(1, BACKOFF, () => 0)).toBe(500);
    expect(backoffDelayMs(1, BACKOFF, () => 0.5)).toBe(750);
    expect(backoffDelayMs(1, BACKOFF, () => 0.999_999)).toBe(1_000);
    expect(backoffDelayMs(3, BACKOFF, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, BACKOFF, () => 0.999_999)).toBe(4_000);
  });

  it('doubles per attempt and stops at maxMs', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelayMs(attempt, BACKOFF, () => 0));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(backoffDelayMs(10_000, BACKOFF, () => 0.999_999)).toBe(60_000);
  });

  it('treats attempt 0 like the first', () => {
    expect(backoffDelayMs(0, BACKOFF, () => 0)).toBe(500);
  });

  it('stays a whole number between half the ceiling and the ceiling', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** (attempt - 1));
      for (const r of [0, 0.1, 0.333, 0.5, 0.777, 0.999_999]) {
        const delay = backoffDelayMs(attempt, BACKOFF, () => r);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe('attemptDeadline and leaseExpiry', () => {
  it('has no deadline without a timeout or a start', () => {
    expect(attemptDeadline({ startedAt: NOW, timeoutMs: undefined })).toBeUndefined();
    expect(attemptDeadline({ startedAt: undefined, timeoutMs: 10 })).toBeUndefined();
    expect(attemptDeadline({ startedAt: NOW, timeoutMs: 10 })).toBe(NOW + 10);
  });

  it('runs a lease the task’s own length, else the store’s', () => {
    expect(leaseExpiry({ startedAt: NOW, timeoutMs: undefined, leaseMs: undefined }, NOW + 5, LEASE_MS)).toBe(
      NOW + 5 + LEASE_MS,
    );
    expect(leaseExpiry({ startedAt: NOW, timeoutMs: undefined, leaseMs: 700 }, NOW + 5, LEASE_MS)).toBe(NOW + 705);
  });

  it('never runs a lease past the attempt’s deadline', () => {
    const timed = { startedAt: NOW, timeoutMs: 40_000, leaseMs: undefined };
    expect(leaseExpiry(timed, NOW, LEASE_MS)).toBe(NOW + 30_000);
    expect(leaseExpiry(timed, NOW + 20_000, LEASE_MS)).toBe(NOW + 40_000);
    expect(leaseExpiry(timed, NOW + 39_999, LEASE_MS)).toBe(NOW + 40_000);
  });
});

describe('isLeaseExpired and isClaimable', () => {
  it('expires a held lease at exactly leaseExpiresAt', () => {
    for (const status of [CLAIMED, IN_PROGRESS]) {
      expect(isLeaseExpired(held({ status }), NOW + LEASE_MS - 1)).toBe(false);
      expect(isLeaseExpired(held({ status }), NOW + LEASE_MS)).toBe(true);
    }
  });

  it('never expires a task that is not held, or has no lease', () => {
    for (const status of [PENDING, COMPLETED, FAILED, CANCELLED]) {
      expect(isLeaseExpired(held({ status }), NOW + 10 * LEASE_MS), status).toBe(false);
    }
    expect(isLeaseExpired(held({ leaseExpiresAt: undefined }), NOW + 10 * LEASE_MS)).toBe(false);
  });

  it('claims only PENDING tasks that are due', () => {
    expect(isClaimable(task(), NOW)).toBe(true);
    expect(isClaimable(task({ runAt: NOW }), NOW)).toBe(true);
    expect(isClaimable(task({ runAt: NOW + 1 }), NOW)).toBe(false);
    for (const status of [CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED]) {
      expect(isClaimable(task({ status }), NOW), status).toBe(false);
    }
  });
});

describe('leaseLoss', () => {
  const lease = { id: 'task-1', leaseToken: 1 };

  it('is undefined while the lease holds, up to a millisecond before it ends', () => {
    expect(leaseLoss(held(), lease, NOW)).toBeUndefined();
    expect(leaseLoss(held({ status: IN_PROGRESS }), lease, NOW + LEASE_MS - 1)).toBeUndefined();
    expect(() => assertLeaseHeld(held(), lease, NOW)).not.toThrow();
  });

  it('names each way a lease is lost', () => {
    const cases: [Task | null, number, string, TaskStatus | undefined][] = [
      [null, NOW, 'deleted', undefined],
      [held({ leaseToken: 2 }), NOW, 'superseded', CLAIMED],
      [held({ status: CANCELLED, leaseExpiresAt: undefined }), NOW, 'cancelled', CANCELLED],
      [held({ status: COMPLETED, leaseExpiresAt: undefined }), NOW, 'finished', COMPLETED],
      [held({ status: FAILED, leaseExpiresAt: undefined }), NOW, 'finished', FAILED],
      [held({ status: PENDING, leaseExpiresAt: undefined }), NOW, 'requeued', PENDING],
      [held(), NOW + LEASE_MS, 'expired', CLAIMED],
      [held({ timeoutMs: 10_000, leaseExpiresAt: NOW + 10_000 }), NOW + 10_000, 'timed_out', CLAIMED],
    ];
    for (const [current, now, reason, status] of cases) {
      const error = leaseLoss(current, lease, now);
      expect(LeaseLostError.isInstance(error), reason).toBe(true);
      expect(error, reason).toMatchObject({ code: 'OMC_LEASE_LOST', taskId: 'task-1', reason, status });
      expect(error?.message, reason).toContain('task-1');
      expect(
        thrown(() => assertLeaseHeld(current, lease, now)),
        reason,
      ).toMatchObject({ reason, status });
    }
  });

  it('checks the token first: a task claimed again is superseded, whatever became of it', () => {
    expect(leaseLoss(held({ leaseToken: 2, status: CANCELLED }), lease, NOW)?.reason).toBe('superseded');
    expect(leaseLoss(held({ leaseToken: 2 }), lease, NOW + 10 * LEASE_MS)?.reason).toBe('superseded');
  });

  it('calls a lease that lapsed for want of a heartbeat expired, even when noticed after the deadline', () => {
    const lapsed = held({ timeoutMs: 100_000 });
    expect(leaseLoss(lapsed, lease, NOW + 200_000)?.reason).toBe('expired');
    expect(expiryReason(lapsed)).toContain('lease expired');
  });
});

describe('planClaim, planHeartbeat, planStart, planComplete', () => {
  it('claims: CLAIMED by the agent, a new attempt and token, a lease, no runAt, result or finish time', () => {
    const before = task({ attempts: 1, leaseToken: 3, runAt: NOW - 1, error: 'earlier', completedAt: 5, result: 'x' });
    const copy = structuredClone(before);
    const claimed = planClaim(before, 'b', NOW, LEASE_MS);
    expect(claimed).toEqual({
      ...before,
      status: CLAIMED,
      assignedAgent: 'b',
      startedAt: NOW,
      updatedAt: NOW,
      completedAt: undefined,
      result: undefined,
      runAt: undefined,
      attempts: 2,
      leaseToken: 4,
      leaseExpiresAt: NOW + LEASE_MS,
    });
    expect(before).toEqual(copy);
  });

  it('claims with the task’s own lease length, capped by its timeout', () => {
    expect(planClaim(task({ leaseMs: 500 }), 'b', NOW, LEASE_MS).leaseExpiresAt).toBe(NOW + 500);
    expect(planClaim(task({ timeoutMs: 200 }), 'b', NOW, LEASE_MS).leaseExpiresAt).toBe(NOW + 200);
  });

  it('heartbeats: a full lease from now, capped by the timeout, nothing else changed', () => {
    expect(planHeartbeat(held(), NOW + 100, LEASE_MS)).toEqual({ ...held(), leaseExpiresAt: NOW + 100 + LEASE_MS });
    expect(planHeartbeat(held({ timeoutMs: 40_000 }), NOW + 20_000, LEASE_MS).leaseExpiresAt).toBe(NOW + 40_000);
  });

  it('starts a CLAIMED task and leaves an IN_PROGRESS one as it is', () => {
    expect(planStart(held(), NOW + 5)).toEqual({ ...held(), status: IN_PROGRESS, updatedAt: NOW + 5 });
    const running = held({ status: IN_PROGRESS });
    expect(planStart(running, NOW + 5)).toBe(running);
  });

  it('completes: the result, completedAt, no lease, no error of an earlier attempt', () => {
    const done = planComplete(held({ error: 'flaky' }), 'ok', NOW + 5);
    expect(done).toEqual({
      ...held(),
      status: COMPLETED,
      result: 'ok',
      error: undefined,
      completedAt: NOW + 5,
      updatedAt: NOW + 5,
      leaseExpiresAt: undefined,
    });
  });
});

describe('planAttemptFailure, planFailure, planExpiry', () => {
  it('requeues while attempts remain: PENDING, no holder or lease, the error and runAt kept', () => {
    const next = planAttemptFailure(held({ status: IN_PROGRESS }), 'boom', NOW + 5, true, NOW + 1_000);
    expect(next).toMatchObject({ status: PENDING, error: 'boom', runAt: NOW + 1_000, attempts: 1, leaseToken: 1 });
    for (const cleared of ['assignedAgent', 'startedAt', 'leaseExpiresAt', 'result', 'completedAt'] as const) {
      expect(next[cleared], cleared).toBeUndefined();
    }
  });

  it('fails for good after the last attempt, or when retry is false', () => {
    for (const [current, retry] of [
      [held({ attempts: 3 }), true],
      [held({ attempts: 5, maxAttempts: 3 }), true],
      [held({ attempts: 1 }), false],
    ] as const) {
      const next = planAttemptFailure(current, 'boom', NOW + 5, retry, NOW + 1_000);
      expect(next).toMatchObject({ status: FAILED, error: 'boom', completedAt: NOW + 5, assignedAgent: 'a' });
      expect(next.leaseExpiresAt).toBeUndefined();
      expect(next.runAt).toBeUndefined();
    }
  });

  it('backs off by the attempt number', () => {
    const second = held({ attempts: 2 });
    expect(planFailure(second, 'boom', NOW, { backoff: BACKOFF }, () => 0).runAt).toBe(NOW + 1_000);
    expect(planFailure(second, 'boom', NOW, { backoff: BACKOFF }, () => 0, false).status).toBe(FAILED);
  });

  it('requeues an expired attempt at once, with a reason naming the agent and the attempt', () => {
    const next = planExpiry(held(), NOW + LEASE_MS);
    expect(next).toMatchObject({ status: PENDING, attempts: 1, updatedAt: NOW + LEASE_MS });
    expect(next.runAt).toBeUndefined();
    expect(next.error).toBe('attempt 1 of 3 by a: lease expired without a heartbeat');
  });

  it('says an attempt capped by its timeout timed out, and fails it when it was the last', () => {
    const timed = held({ attempts: 3, timeoutMs: 10_000, leaseExpiresAt: NOW + 10_000 });
    expect(expiryReason(timed)).toBe('attempt 3 of 3 by a: timed out after 10000 ms');
    expect(planExpiry(timed, NOW + 10_000)).toMatchObject({ status: FAILED, completedAt: NOW + 10_000 });
  });
});

describe('planRelease', () => {
  it('puts the task back at once and gives the attempt back', () => {
    const next = planRelease(held({ status: IN_PROGRESS, attempts: 2 }), NOW + 5);
    expect(next).toMatchObject({ status: PENDING, attempts: 1, leaseToken: 1, updatedAt: NOW + 5 });
    for (const cleared of ['assignedAgent', 'startedAt', 'leaseExpiresAt', 'runAt'] as const) {
      expect(next[cleared], cleared).toBeUndefined();
    }
  });

  it('never counts below zero', () => {
    expect(planRelease(held({ attempts: 0 }), NOW).attempts).toBe(0);
  });
});

describe('planCancel', () => {
  it('cancels an unfinished task, ending its lease and any delay', () => {
    for (const current of [task({ runAt: NOW + 5 }), held(), held({ status: IN_PROGRESS })]) {
      const next = planCancel(current, NOW + 5);
      expect(next).toMatchObject({ status: CANCELLED, updatedAt: NOW + 5, leaseToken: current.leaseToken });
      expect(next.leaseExpiresAt).toBeUndefined();
      expect(next.runAt).toBeUndefined();
      expect(next.completedAt).toBeUndefined();
    }
  });

  it('refuses a finished task', () => {
    for (const status of [COMPLETED, FAILED, CANCELLED]) {
      const error = thrown(() => planCancel(task({ status }), NOW));
      expect(InvalidTransitionError.isInstance(error), status).toBe(true);
      expect(error).toMatchObject({ taskId: 'task-1', from: status, to: CANCELLED });
      expect((error as Error).message).toContain('task-1');
    }
  });
});

describe('planRetry', () => {
  it('runs a FAILED or CANCELLED task again with its attempts reset and its token kept', () => {
    for (const status of [FAILED, CANCELLED]) {
      const finished = held({
        status,
        attempts: 3,
        leaseToken: 3,
        completedAt: NOW,
        result: 'r',
        leaseExpiresAt: undefined,
      });
      const next = planRetry(finished, NOW + 5);
      expect(next).toMatchObject({ status: PENDING, attempts: 0, leaseToken: 3, updatedAt: NOW + 5 });
      for (const cleared of ['assignedAgent', 'startedAt', 'completedAt', 'result', 'runAt'] as const) {
        expect(next[cleared], `${status} ${cleared}`).toBeUndefined();
      }
    }
  });

  it('keeps a future runAt and treats a past one as now', () => {
    expect(planRetry(task({ status: FAILED }), NOW, NOW + 1).runAt).toBe(NOW + 1);
    expect(planRetry(task({ status: FAILED }), NOW, NOW).runAt).toBeUndefined();
    expect(planRetry(task({ status: FAILED }), NOW, 0).runAt).toBeUndefined();
  });

  it('refuses a task that is not FAILED or CANCELLED', () => {
    for (const status of [PENDING, CLAIMED, IN_PROGRESS, COMPLETED]) {
      const error = thrown(() => planRetry(task({ status }), NOW));
      expect(InvalidTransitionError.isInstance(error), status).toBe(true);
      expect(error).toMatchObject({ taskId: 'task-1', from: status, to: PENDING });
    }
  });
});

describe('transitionRecord', () => {
  it('records the statuses, the holder before or after, the larger attempt number, the time and reason', () => {
    expect(transitionRecord(task(), held(), NOW, undefined)).toEqual({
      taskId: 'task-1',
      from: PENDING,
      to: CLAIMED,
      agent: 'a',
      attempt: 1,
      at: NOW,
      reason: undefined,
    });
    expect(transitionRecord(held({ attempts: 2 }), planRelease(held({ attempts: 2 }), NOW), NOW, 'bye')).toEqual({
      taskId: 'task-1',
      from: CLAIMED,
      to: PENDING,
      agent: 'a',
      attempt: 2,
      at: NOW,
      reason: 'bye',
    });
  });
});

describe('resolveLeaseOptions', () => {
  it('fills in the defaults', () => {
    const { policy, random } = resolveLeaseOptions();
    expect(policy).toEqual(DEFAULT_LEASE_POLICY);
    expect(random).toBe(Math.random);
  });

  it('takes what it is given', () => {
    const mine = () => 0.25;
    expect(
      resolveLeaseOptions({ leaseMs: 10, maxAttempts: 1, backoff: { baseMs: 2, maxMs: 3 }, random: mine }),
    ).toEqual({
      policy: { leaseMs: 10, maxAttempts: 1, backoff: { baseMs: 2, maxMs: 3 } },
      random: mine,
    });
  });

  it('raises the default cap to a base above it', () => {
    expect(resolveLeaseOptions({ backoff: { baseMs: 600_000 } }).policy.backoff).toEqual({
      baseMs: 600_000,
      maxMs: 600_000,
    });
    expect(resolveLeaseOptions({ backoff: { baseMs: 50 } }).policy.backoff).toEqual({ baseMs: 50, maxMs: 300_000 });
  });

  it('refuses bad options, naming the field', () => {
    const bad: [LeaseOptions, string][] = [
      [{ leaseMs: 0 }, 'leaseMs'],
      [{ leaseMs: -1 }, 'leaseMs'],
      [{ leaseMs: 1.5 }, 'leaseMs'],
      [{ leaseMs: Number.NaN }, 'leaseMs'],
      [{ leaseMs: Number.POSITIVE_INFINITY }, 'leaseMs'],
      [{ maxAttempts: 0 }, 'maxAttempts'],
      [{ maxAttempts: 2.5 }, 'maxAttempts'],
      [{ backoff: { baseMs: 0 } }, 'backoff.baseMs'],
      [{ backoff: { maxMs: -5 } }, 'backoff.maxMs'],
      [{ backoff: { baseMs: 2_000, maxMs: 1_000 } }, 'backoff.maxMs'],
      [{ random: 0.5 as unknown as () => number }, 'random'],
    ];
    for (const [options, field] of bad) {
      const error = thrown(() => resolveLeaseOptions(options));
      expect(InvalidInputError.isInstance(error), field).toBe(true);
      expect((error as InvalidInputError).field).toBe(field);
    }
  });
});
