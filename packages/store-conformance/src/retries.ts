import { DEFAULT_LEASE_POLICY, InvalidTransitionError, type Task, TaskPriority, TaskStatus } from '@omc/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createIn,
  expectOmcError,
  expectRefusedInput,
  mustClaim,
  mustGet,
  START,
  type StoreContext,
  snapshot,
  taskInput,
  useStore,
} from './harness.js';
import type { ConformanceTarget } from './target.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED } = TaskStatus;

const LEASE_MS = 30_000;
const BASE_MS = 1_000;
const MAX_MS = 8_000;

/** The backoff ceilings of retries 1, 2, 3…: base · 2^(n−1), capped at MAX_MS. */
const CEILINGS = [1_000, 2_000, 4_000, 8_000, 8_000, 8_000];

/** Fail the attempt `lease` holds, then move the clock to the moment the task is due again. */
async function failAndWait(ctx: StoreContext, lease: Task, error: string): Promise<void> {
  const outcome = await ctx.store.failTask(lease, error);
  if (outcome.runAt !== undefined) ctx.clock.set(outcome.runAt);
}

/** @internal Attempts: how failures and expiries are retried with backoff, until they fail a task for good. */
export function describeRetries(target: ConformanceTarget): void {
  describe(`${target.name}: retries`, () => {
    // The jitter source the store was given; each test sets the value it needs.
    let jitter = 0;
    beforeEach(() => {
      jitter = 0;
    });
    const ctx = useStore(target, {
      leaseMs: LEASE_MS,
      backoff: { baseMs: BASE_MS, maxMs: MAX_MS },
      random: () => jitter,
    });

    it('gives a task 3 attempts by default, or the maxAttempts it was created with', async () => {
      expect(DEFAULT_LEASE_POLICY.maxAttempts).toBe(3);
      const plain = await ctx.store.createTask(taskInput(1));
      const five = await ctx.store.createTask(taskInput(2, { maxAttempts: 5 }));
      expect(plain).toMatchObject({ maxAttempts: 3, attempts: 0 });
      expect((await mustGet(ctx.store, five.id)).maxAttempts).toBe(5);
    });

    it('requeues a failed attempt after a backoff, keeping its error', async () => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.startTask(lease);
      ctx.clock.advance(10);
      const outcome = await ctx.store.failTask(lease, 'connection refused');
      // random() = 0: the shortest delay, half the first ceiling.
      expect(outcome).toEqual({ status: PENDING, attempts: 1, runAt: START + 10 + 500 });
      const back = await mustGet(ctx.store, lease.id);
      expect(back).toMatchObject({
        status: PENDING,
        error: 'connection refused',
        runAt: START + 10 + 500,
        attempts: 1,
        leaseToken: 1,
        updatedAt: START + 10,
      });
      for (const cleared of ['assignedAgent', 'startedAt', 'completedAt', 'leaseExpiresAt', 'result'] as const) {
        expect(back[cleared], cleared).toBeUndefined();
      }
    });

    it('does not hand out a task before its backoff ends, and does at exactly runAt', async () => {
      const task = await ctx.store.createTask(taskInput(1, { priority: TaskPriority.HIGH }));
      const lease = await mustClaim(ctx.store, 'agent-A');
      const { runAt } = await ctx.store.failTask(lease, 'boom');
      expect(runAt).toBe(START + 500);
      // The queue is not blocked: a later, lower-priority task is claimable meanwhile.
      const other = await ctx.store.createTask(taskInput(2, { priority: TaskPriority.LOW }));
      expect((await mustClaim(ctx.store, 'agent-B')).id).toBe(other.id);
      ctx.clock.set((runAt as number) - 1);
      expect(await ctx.store.claimTask('agent-C')).toBeNull();
      ctx.clock.set(runAt as number);
      const again = await mustClaim(ctx.store, 'agent-C');
      expect(again).toMatchObject({ id: task.id, attempts: 2, leaseToken: 2, startedAt: runAt });
      expect(again.runAt).toBeUndefined();
    });

    it('doubles the backoff with every attempt up to maxMs, at the low end of the jitter', async () => {
      await ctx.store.createTask(taskInput(1, { maxAttempts: CEILINGS.length + 1 }));
      const delays: number[] = [];
      for (const [i] of CEILINGS.entries()) {
        const lease = await mustClaim(ctx.store, `agent-${i}`);
        const outcome = await ctx.store.failTask(lease, `error ${i + 1}`);
        expect(outcome).toMatchObject({ status: PENDING, attempts: i + 1 });
        delays.push((outcome.runAt as number) - ctx.clock.now());
        ctx.clock.set(outcome.runAt as number);
      }
      expect(delays).toEqual(CEILINGS.map((ceiling) => ceiling / 2));
    });

    it('keeps every delay between half the ceiling and the ceiling, at the high end of the jitter', async () => {
      jitter = 0.999;
      await ctx.store.createTask(taskInput(1, { maxAttempts: CEILINGS.length + 1 }));
      for (const [i, ceiling] of CEILINGS.entries()) {
        const lease = await mustClaim(ctx.store, `agent-${i}`);
        const { runAt } = await ctx.store.failTask(lease, `error ${i + 1}`);
        const delay = (runAt as number) - ctx.clock.now();
        expect(delay, `retry ${i + 1}`).toBeGreaterThanOrEqual(ceiling * 0.999 - 1);
        expect(delay, `retry ${i + 1}`).toBeLessThanOrEqual(ceiling);
        ctx.clock.set(runAt as number);
      }
    });

    it('fails the task for good after its last attempt, with every attempt’s error in its history', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      for (const attempt of [1, 2]) {
        await failAndWait(ctx, await mustClaim(ctx.store, 'agent-A'), `error ${attempt}`);
      }
      const last = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.startTask(last);
      ctx.clock.advance(100);
      const outcome = await ctx.store.failTask(last, 'error 3');
      expect(outcome).toEqual({ status: FAILED, attempts: 3, runAt: undefined });
      const failed = await mustGet(ctx.store, task.id);
      expect(failed).toMatchObject({ status: FAILED, error: 'error 3', attempts: 3, completedAt: ctx.clock.now() });
      expect(failed.runAt).toBeUndefined();
      expect(failed.leaseExpiresAt).toBeUndefined();
      const failures = (await ctx.store.getTaskHistory(task.id)).filter((entry) => entry.from !== PENDING);
      expect(failures.map((entry) => [entry.to, entry.attempt, entry.reason])).toEqual([
        [PENDING, 1, 'error 1'],
        [PENDING, 2, 'error 2'],
        [IN_PROGRESS, 3, undefined],
        [FAILED, 3, 'error 3'],
      ]);
      expect(await ctx.store.claimTask('agent-B')).toBeNull();
    });

    it('counts an expired lease as a failed attempt, requeued at once, failing the task after the last', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await failAndWait(ctx, await mustClaim(ctx.store, 'agent-A'), 'boom');
      await mustClaim(ctx.store, 'agent-B');
      ctx.clock.advance(LEASE_MS);
      // Requeued with no backoff: claimable in the same instant.
      const third = await mustClaim(ctx.store, 'agent-C');
      expect(third).toMatchObject({ id: task.id, attempts: 3, leaseToken: 3 });
      ctx.clock.advance(LEASE_MS);
      expect(await ctx.store.claimTask('agent-D')).toBeNull();
      const failed = await mustGet(ctx.store, task.id);
      expect(failed).toMatchObject({ status: FAILED, attempts: 3, completedAt: START + 500 + 2 * LEASE_MS });
      expect(failed.error).toContain('lease expired');
      const reasons = (await ctx.store.getTaskHistory(task.id)).filter((entry) => entry.from === CLAIMED);
      expect(reasons.map((entry) => [entry.to, entry.agent, entry.attempt])).toEqual([
        [PENDING, 'agent-A', 1],
        [PENDING, 'agent-B', 2],
        [FAILED, 'agent-C', 3],
      ]);
      expect(reasons[0]?.reason).toBe('boom');
      expect(reasons[1]?.reason).toContain('lease expired');
      expect(reasons[2]?.reason).toContain('lease expired');
    });

    it('fails at once with retry: false, attempts left or not', async () => {
      const task = await ctx.store.createTask(taskInput(1, { maxAttempts: 5 }));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(42);
      expect(await ctx.store.failTask(lease, 'bad input', { retry: false })).toEqual({
        status: FAILED,
        attempts: 1,
        runAt: undefined,
      });
      expect(await mustGet(ctx.store, task.id)).toMatchObject({
        status: FAILED,
        error: 'bad input',
        attempts: 1,
        completedAt: START + 42,
      });
      expect(await ctx.store.claimTask('agent-B')).toBeNull();
    });

    it('retries a task with a single attempt never', async () => {
      const task = await ctx.store.createTask(taskInput(1, { maxAttempts: 1 }));
      const outcome = await ctx.store.failTask(await mustClaim(ctx.store, 'agent-A'), 'once');
      expect(outcome).toEqual({ status: FAILED, attempts: 1, runAt: undefined });
      expect((await mustGet(ctx.store, task.id)).status).toBe(FAILED);
    });

    it('refuses an empty or non-string error, writing nothing', async () => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      const before = await snapshot(ctx.store, lease.id);
      for (const error of ['', '   ', 42, undefined]) {
        await expectRefusedInput(ctx, () => ctx.store.failTask(lease, error as string));
      }
      expect(await snapshot(ctx.store, lease.id)).toEqual(before);
    });

    it('clears an earlier attempt’s error when a later attempt completes', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await failAndWait(ctx, await mustClaim(ctx.store, 'agent-A'), 'flaky');
      const second = await mustClaim(ctx.store, 'agent-B');
      await ctx.store.completeTask(second, 'ok');
      const done = await mustGet(ctx.store, task.id);
      expect(done).toMatchObject({ status: COMPLETED, result: 'ok', attempts: 2 });
      expect(done.error).toBeUndefined();
    });

    it('releases a task back in line at once, without counting the attempt', async () => {
      const task = await ctx.store.createTask(taskInput(1, { maxAttempts: 1 }));
      for (let i = 1; i <= 3; i++) {
        const lease = await mustClaim(ctx.store, `agent-${i}`);
        expect(lease).toMatchObject({ attempts: 1, leaseToken: i });
        ctx.clock.advance(10);
        await ctx.store.releaseTask(lease, i === 3 ? { reason: 'shutting down' } : undefined);
        const back = await mustGet(ctx.store, task.id);
        expect(back).toMatchObject({ status: PENDING, attempts: 0, leaseToken: i, updatedAt: ctx.clock.now() });
        for (const cleared of ['assignedAgent', 'startedAt', 'leaseExpiresAt', 'runAt'] as const) {
          expect(back[cleared], cleared).toBeUndefined();
        }
      }
      const releases = (await ctx.store.getTaskHistory(task.id)).filter((entry) => entry.to === PENDING);
      expect(releases.map((entry) => [entry.agent, entry.attempt, entry.reason])).toEqual([
        ['agent-1', 1, 'released by its holder'],
        ['agent-2', 1, 'released by its holder'],
        ['agent-3', 1, 'shutting down'],
      ]);
      // Three releases of a one-attempt task, and it still runs and completes.
      const last = await mustClaim(ctx.store, 'agent-4');
      await ctx.store.completeTask(last, 'done');
      expect(await mustGet(ctx.store, task.id)).toMatchObject({ status: COMPLETED, attempts: 1, leaseToken: 4 });
    });

    it('releases an IN_PROGRESS task too', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.startTask(lease);
      await ctx.store.releaseTask(lease);
      expect(await mustGet(ctx.store, task.id)).toMatchObject({ status: PENDING, attempts: 0 });
      expect((await mustClaim(ctx.store, 'agent-B')).id).toBe(task.id);
    });

    it('retryTask runs a FAILED task again: PENDING, attempts reset, claimable at once, history kept', async () => {
      const task = await ctx.store.createTask(taskInput(1, { maxAttempts: 2 }));
      await failAndWait(ctx, await mustClaim(ctx.store, 'agent-A'), 'first');
      await ctx.store.failTask(await mustClaim(ctx.store, 'agent-B'), 'second');
      const failed = await mustGet(ctx.store, task.id);
      expect(failed).toMatchObject({ status: FAILED, attempts: 2, leaseToken: 2 });
      const historyBefore = await ctx.store.getTaskHistory(task.id);
      ctx.clock.advance(1_000);
      const retried = await ctx.store.retryTask(task.id);
      expect(retried).toMatchObject({
        id: task.id,
        status: PENDING,
        attempts: 0,
        leaseToken: 2,
        updatedAt: ctx.clock.now(),
      });
      for (const cleared of [
        'assignedAgent',
        'startedAt',
        'completedAt',
        'result',
        'runAt',
        'leaseExpiresAt',
      ] as const) {
        expect(retried?.[cleared], cleared).toBeUndefined();
      }
      expect(await mustGet(ctx.store, task.id)).toEqual(retried);
      const history = await ctx.store.getTaskHistory(task.id);
      expect(history.slice(0, historyBefore.length)).toEqual(historyBefore);
      expect(history.slice(historyBefore.length)).toMatchObject([
        { taskId: task.id, from: FAILED, to: PENDING, attempt: 2, at: ctx.clock.now() },
      ]);
      // A full set of attempts again: two more failures before it fails for good.
      const again = await mustClaim(ctx.store, 'agent-C');
      expect(again).toMatchObject({ attempts: 1, leaseToken: 3 });
      expect(await ctx.store.failTask(again, 'third')).toMatchObject({ status: PENDING, attempts: 1 });
    });

    it('retryTask runs a CANCELLED task again, and delays it to a future runAt', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await ctx.store.cancelTask(task.id);
      const retried = await ctx.store.retryTask(task.id, { runAt: START + 5_000 });
      expect(retried).toMatchObject({ status: PENDING, attempts: 0, runAt: START + 5_000 });
      ctx.clock.advance(4_999);
      expect(await ctx.store.claimTask('agent-A')).toBeNull();
      ctx.clock.advance(1);
      expect((await mustClaim(ctx.store, 'agent-A')).id).toBe(task.id);
    });

    it('retryTask refuses a task that is not FAILED or CANCELLED, and returns null for an unknown id', async () => {
      for (const status of [PENDING, CLAIMED, IN_PROGRESS, COMPLETED]) {
        const task = await createIn(ctx, status);
        const before = await snapshot(ctx.store, task.id);
        const error = await expectOmcError(() => ctx.store.retryTask(task.id), 'OMC_INVALID_TRANSITION');
        expect(InvalidTransitionError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ taskId: task.id, from: status, to: PENDING });
        expect(await snapshot(ctx.store, task.id)).toEqual(before);
      }
      expect(await ctx.store.retryTask('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect(await ctx.store.getTaskHistory('00000000-0000-4000-8000-000000000000')).toEqual([]);
    });
  });

  describe(`${target.name}: retries with store defaults`, () => {
    const ctx = useStore(target, { maxAttempts: 2, backoff: { baseMs: 10_000, maxMs: 10_000 }, random: () => 0.5 });

    it('uses the store’s maxAttempts and backoff for tasks created without their own', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const own = await ctx.store.createTask(taskInput(2, { maxAttempts: 4 }));
      expect(task.maxAttempts).toBe(2);
      expect(own.maxAttempts).toBe(4);
      const lease = await mustClaim(ctx.store, 'agent-A');
      // Ceiling 10 s, random() = 0.5: 5 s + 2.5 s.
      expect(await ctx.store.failTask(lease, 'e1')).toEqual({ status: PENDING, attempts: 1, runAt: START + 7_500 });
      ctx.clock.set(START + 7_499);
      expect((await mustClaim(ctx.store, 'agent-B')).id).toBe(own.id);
      expect(await ctx.store.claimTask('agent-C')).toBeNull();
      ctx.clock.set(START + 7_500);
      expect((await mustClaim(ctx.store, 'agent-C')).id).toBe(task.id);
      expect(await ctx.store.failTask({ id: task.id, leaseToken: 2 }, 'e2')).toEqual({
        status: FAILED,
        attempts: 2,
        runAt: undefined,
      });
    });
  });
}
