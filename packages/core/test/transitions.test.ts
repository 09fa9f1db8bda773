import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidTransitionError } from '../src/errors.js';
import { DEFAULT_LEASE_POLICY } from '../src/lease.js';
import { TASK_STATUSES, type Task, TaskPriority, TaskStatus } from '../src/task.js';
import {
  canTransition,
  isTerminal,
  planUpdate,
  statusChangeInputError,
  statusEffect,
  TRANSITIONS,
} from '../src/transitions.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

/** The guide's valid transitions, plus the two the issue adds; written out by hand to check the table. */
const ALLOWED = new Set([
  'pending>claimed',
  'claimed>in_progress',
  'in_progress>completed',
  'in_progress>failed',
  'pending>cancelled',
  'claimed>cancelled',
  'in_progress>cancelled',
  // The guide's Custom Integration example finishes a claimed task directly.
  'claimed>completed',
  'claimed>failed',
  // A holder hands the task back.
  'claimed>pending',
  'in_progress>pending',
]);

const NOW = 1_000_000;

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

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the update to be refused');
}

describe('canTransition', () => {
  for (const from of TASK_STATUSES) {
    for (const to of TASK_STATUSES) {
      const allowed = ALLOWED.has(`${from}>${to}`);
      it(`${from} → ${to}: ${allowed}`, () => {
        expect(canTransition(from, to)).toBe(allowed);
      });
    }
  }

  it('agrees with TRANSITIONS, which cannot be changed at run time', () => {
    expect(Object.isFrozen(TRANSITIONS)).toBe(true);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...TASK_STATUSES].sort());
  });
});

describe('isTerminal', () => {
  it('is true exactly for COMPLETED, FAILED and CANCELLED', () => {
    expect(TASK_STATUSES.filter(isTerminal)).toEqual([COMPLETED, FAILED, CANCELLED]);
  });
});

describe('planUpdate', () => {
  it('does not modify the task it is given', () => {
    const current = task();
    const copy = structuredClone(current);
    planUpdate(current, { status: CLAIMED, assignedAgent: 'a' }, NOW);
    expect(current).toEqual(copy);
  });

  it('always sets updatedAt to now, even for an empty update', () => {
    expect(planUpdate(task(), {}, NOW)).toEqual({ ...task(), updatedAt: NOW });
  });

  it('claims: sets the agent and startedAt, counts an attempt, takes a new token and a lease', () => {
    expect(planUpdate(task(), { status: CLAIMED, assignedAgent: 'a' }, NOW)).toEqual({
      ...task(),
      status: CLAIMED,
      assignedAgent: 'a',
      startedAt: NOW,
      updatedAt: NOW,
      attempts: 1,
      leaseToken: 1,
      leaseExpiresAt: NOW + DEFAULT_LEASE_POLICY.leaseMs,
    });
  });

  it('claims with the lease length it is given, capped by the task’s timeout', () => {
    const retried = task({ attempts: 1, leaseToken: 4, runAt: NOW + 5 });
    expect(planUpdate(retried, { status: CLAIMED, assignedAgent: 'a' }, NOW, 1_000)).toMatchObject({
      attempts: 2,
      leaseToken: 5,
      leaseExpiresAt: NOW + 1_000,
      runAt: undefined,
    });
    const timed = task({ timeoutMs: 300 });
    expect(planUpdate(timed, { status: CLAIMED, assignedAgent: 'a' }, NOW, 1_000).leaseExpiresAt).toBe(NOW + 300);
  });

  it('ends the lease when the task leaves CLAIMED or IN_PROGRESS, and keeps it when work starts', () => {
    const held = task({
      status: CLAIMED,
      assignedAgent: 'a',
      startedAt: 5,
      attempts: 1,
      leaseToken: 1,
      leaseExpiresAt: NOW + 9,
    });
    expect(planUpdate(held, { status: IN_PROGRESS }, NOW).leaseExpiresAt).toBe(NOW + 9);
    for (const to of [PENDING, COMPLETED, FAILED, CANCELLED]) {
      const next = planUpdate(held, { status: to }, NOW);
      expect(next.leaseExpiresAt, to).toBeUndefined();
      expect(next, to).toMatchObject({ attempts: 1, leaseToken: 1 });
    }
  });

  it('refuses to claim without an agent', () => {
    const error = refusal(() => planUpdate(task(), { status: CLAIMED }, NOW));
    expect(InvalidInputError.isInstance(error) && error.field).toBe('assignedAgent');
  });

  it('keeps startedAt and the agent when work starts', () => {
    const claimed = task({ status: CLAIMED, assignedAgent: 'a', startedAt: 5 });
    expect(planUpdate(claimed, { status: IN_PROGRESS }, NOW)).toMatchObject({ assignedAgent: 'a', startedAt: 5 });
  });

  it('sets completedAt on COMPLETED and FAILED, not on CANCELLED', () => {
    const running = task({ status: IN_PROGRESS, assignedAgent: 'a', startedAt: 5 });
    expect(planUpdate(running, { status: COMPLETED, result: 'ok' }, NOW)).toMatchObject({
      completedAt: NOW,
      result: 'ok',
    });
    expect(planUpdate(running, { status: FAILED, error: 'no' }, NOW)).toMatchObject({ completedAt: NOW, error: 'no' });
    expect(planUpdate(running, { status: CANCELLED }, NOW).completedAt).toBeUndefined();
  });

  it('clears agent, times, result and error when sent back to PENDING, keeping metadata', () => {
    const running = task({
      status: IN_PROGRESS,
      assignedAgent: 'a',
      startedAt: 5,
      result: 'partial',
      error: 'flaky',
      metadata: { attempts: 1 },
    });
    expect(planUpdate(running, { status: PENDING }, NOW)).toEqual({
      ...task(),
      metadata: { attempts: 1 },
      updatedAt: NOW,
    });
  });

  it('refuses an agent on a task sent back to PENDING', () => {
    const claimed = task({ status: CLAIMED, assignedAgent: 'a', startedAt: 5 });
    const error = refusal(() => planUpdate(claimed, { status: PENDING, assignedAgent: 'b' }, NOW));
    expect(InvalidInputError.isInstance(error)).toBe(true);
  });

  it('refuses a transition outside the table, naming the task and both statuses', () => {
    const error = refusal(() => planUpdate(task(), { status: COMPLETED }, NOW));
    expect(InvalidTransitionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OMC_INVALID_TRANSITION', taskId: 'task-1', from: PENDING, to: COMPLETED });
    expect((error as Error).message).toContain('task-1');
    expect((error as Error).message).toContain('Allowed from pending: claimed, cancelled');
  });

  it('lets a terminal task change only its metadata', () => {
    for (const status of [COMPLETED, FAILED, CANCELLED]) {
      const done = task({ status });
      expect(planUpdate(done, { metadata: { archived: true } }, NOW)).toEqual({
        ...done,
        metadata: { archived: true },
        updatedAt: NOW,
      });
      for (const update of [{ status }, { status: PENDING }, { result: 'r' }, { error: 'e' }, { assignedAgent: 'b' }]) {
        const error = refusal(() => planUpdate(done, update, NOW));
        expect(error).toMatchObject({ code: 'OMC_INVALID_TRANSITION', from: status, to: update.status ?? status });
      }
    }
  });

  it('says a terminal task is already final when asked for its own status', () => {
    const error = refusal(() => planUpdate(task({ status: COMPLETED }), { status: COMPLETED }, NOW));
    expect((error as Error).message).toMatch(/already completed, which is final/);
  });

  it('treats the current status of a live task as a no-op', () => {
    const claimed = task({ status: CLAIMED, assignedAgent: 'a', startedAt: 5 });
    expect(planUpdate(claimed, { status: CLAIMED }, NOW)).toEqual({ ...claimed, updatedAt: NOW });
  });
});

describe('statusEffect and statusChangeInputError', () => {
  it('describes what entering each status does', () => {
    expect(statusEffect(TaskStatus.CLAIMED)).toEqual({ claims: true, finishes: false, resets: false });
    expect(statusEffect(TaskStatus.FAILED)).toEqual({ claims: false, finishes: true, resets: false });
    expect(statusEffect(TaskStatus.PENDING)).toEqual({ claims: false, finishes: false, resets: true });
    expect(statusEffect(TaskStatus.CANCELLED)).toEqual({ claims: false, finishes: false, resets: false });
  });

  it('names the input errors a status change raises whatever the current state', () => {
    expect(statusChangeInputError('t', { status: TaskStatus.CLAIMED })?.field).toBe('assignedAgent');
    expect(statusChangeInputError('t', { status: TaskStatus.CLAIMED, assignedAgent: 'a' })).toBeUndefined();
    expect(statusChangeInputError('t', { status: TaskStatus.PENDING, result: 'r' })?.field).toBe('result');
    expect(statusChangeInputError('t', { status: TaskStatus.COMPLETED, result: 'r' })).toBeUndefined();
    expect(statusChangeInputError('t', { result: 'r' })).toBeUndefined();
  });
});
