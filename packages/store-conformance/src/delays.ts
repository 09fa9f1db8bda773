import { TaskPriority, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { expectLeaseLost, ids, mustClaim, mustGet, START, taskInput, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED } = TaskStatus;

const LEASE_MS = 30_000;

/** @internal Time limits: delayed tasks (`runAt`) and attempt timeouts (`timeoutMs`). */
export function describeDelays(target: ConformanceTarget): void {
  describe(`${target.name}: delayed tasks`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    it('does not hand out a task before its runAt, and does at exactly runAt', async () => {
      const task = await ctx.store.createTask(taskInput(1, { runAt: START + 10_000 }));
      expect(task).toMatchObject({ status: PENDING, runAt: START + 10_000 });
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
      expect(await ctx.store.claimTask('agent-A')).toBeNull();
      ctx.clock.advance(9_999);
      expect(await ctx.store.claimTask('agent-A')).toBeNull();
      ctx.clock.advance(1);
      const claimed = await mustClaim(ctx.store, 'agent-A');
      expect(claimed).toMatchObject({ id: task.id, startedAt: START + 10_000, attempts: 1 });
      expect(claimed.runAt).toBeUndefined();
    });

    it('treats a runAt now or in the past as ready at once', async () => {
      const past = await ctx.store.createTask(taskInput('past', { runAt: START - 60_000 }));
      const now = await ctx.store.createTask(taskInput('now', { runAt: START }));
      const epoch = await ctx.store.createTask(taskInput('epoch', { runAt: 0 }));
      for (const task of [past, now, epoch]) expect(task.runAt, task.title).toBeUndefined();
      expect(
        ids([await mustClaim(ctx.store, 'a'), await mustClaim(ctx.store, 'b'), await mustClaim(ctx.store, 'c')]),
      ).toEqual(ids([past, now, epoch]));
    });

    it('skips a delayed task, whatever its priority, and claims it once due', async () => {
      const critical = await ctx.store.createTask(taskInput('critical', { priority: 3, runAt: START + 5_000 }));
      const low = await ctx.store.createTask(taskInput('low', { priority: TaskPriority.LOW }));
      const high = await ctx.store.createTask(taskInput('high', { priority: TaskPriority.HIGH }));
      expect((await mustClaim(ctx.store, 'agent-A')).id).toBe(high.id);
      expect((await mustClaim(ctx.store, 'agent-B')).id).toBe(low.id);
      expect(await ctx.store.claimTask('agent-C')).toBeNull();
      ctx.clock.advance(5_000);
      expect((await mustClaim(ctx.store, 'agent-C')).id).toBe(critical.id);
    });

    it('orders due tasks by priority, then creation, not by when they became due', async () => {
      const older = await ctx.store.createTask(taskInput('older', { runAt: START + 2_000 }));
      const newer = await ctx.store.createTask(taskInput('newer', { runAt: START + 1_000 }));
      const urgent = await ctx.store.createTask(
        taskInput('urgent', { priority: TaskPriority.HIGH, runAt: START + 2_000 }),
      );
      const ready = await ctx.store.createTask(taskInput('ready', { priority: TaskPriority.LOW }));
      ctx.clock.advance(2_000);
      const claimed = [];
      for (let task = await ctx.store.claimTask('agent-A'); task; task = await ctx.store.claimTask('agent-A')) {
        claimed.push(task);
      }
      expect(ids(claimed)).toEqual(ids([urgent, older, newer, ready]));
    });

    it('lists and counts a delayed task as PENDING', async () => {
      const task = await ctx.store.createTask(taskInput(1, { runAt: START + 60_000 }));
      expect(await ctx.store.getStats()).toMatchObject({ total: 1, pending: 1 });
      expect(ids(await ctx.store.getTasks({ status: PENDING }))).toEqual([task.id]);
    });
  });

  describe(`${target.name}: attempt timeouts`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    it('caps the first lease at timeoutMs from the claim', async () => {
      const task = await ctx.store.createTask(taskInput(1, { timeoutMs: 10_000 }));
      // The timeout counts from the claim, not from creation.
      ctx.clock.advance(60_000);
      const claimed = await mustClaim(ctx.store, 'agent-A');
      expect(claimed).toMatchObject({ id: task.id, timeoutMs: 10_000, leaseExpiresAt: START + 70_000 });
    });

    it('does not let heartbeats extend the lease past the timeout', async () => {
      await ctx.store.createTask(taskInput(1, { timeoutMs: 50_000 }));
      const lease = await mustClaim(ctx.store, 'agent-A');
      expect(lease.leaseExpiresAt).toBe(START + LEASE_MS);
      ctx.clock.advance(25_000);
      expect(await ctx.store.heartbeat(lease)).toEqual({ leaseExpiresAt: START + 50_000 });
      ctx.clock.advance(20_000);
      expect(await ctx.store.heartbeat(lease)).toEqual({ leaseExpiresAt: START + 50_000 });
      ctx.clock.advance(4_999);
      await ctx.store.startTask(lease);
      ctx.clock.advance(1);
      await expectLeaseLost(() => ctx.store.heartbeat(lease), lease.id, 'timed_out', IN_PROGRESS);
      await expectLeaseLost(() => ctx.store.completeTask(lease, 'late'), lease.id, 'timed_out', IN_PROGRESS);
      expect(await mustGet(ctx.store, lease.id)).toMatchObject({ status: IN_PROGRESS, leaseExpiresAt: START + 50_000 });
    });

    it('requeues a timed-out attempt at once, with an error that says it timed out', async () => {
      const task = await ctx.store.createTask(taskInput(1, { timeoutMs: 10_000 }));
      await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(10_000);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 1, failed: 0 });
      const back = await mustGet(ctx.store, task.id);
      expect(back).toMatchObject({ status: PENDING, attempts: 1 });
      expect(back.error).toContain('timed out');
      const [, timedOut] = await ctx.store.getTaskHistory(task.id);
      expect(timedOut).toMatchObject({ from: CLAIMED, to: PENDING, agent: 'agent-A', attempt: 1, at: START + 10_000 });
      expect(timedOut?.reason).toContain('timed out');
      // The next attempt gets the full timeout again.
      expect(await mustClaim(ctx.store, 'agent-B')).toMatchObject({ attempts: 2, leaseExpiresAt: START + 20_000 });
    });

    it('fails a task whose last attempt timed out', async () => {
      const task = await ctx.store.createTask(taskInput(1, { timeoutMs: 10_000, maxAttempts: 1 }));
      await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(10_000);
      expect(await ctx.store.claimTask('agent-B')).toBeNull();
      const failed = await mustGet(ctx.store, task.id);
      expect(failed).toMatchObject({ status: FAILED, attempts: 1, completedAt: START + 10_000 });
      expect(failed.error).toContain('timed out');
    });

    it('calls a lease that lapsed for want of a heartbeat expired, even when noticed after the timeout', async () => {
      const task = await ctx.store.createTask(taskInput(1, { timeoutMs: 100_000 }));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(200_000);
      await expectLeaseLost(() => ctx.store.completeTask(lease, 'late'), task.id, 'expired', CLAIMED);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 1, failed: 0 });
      const back = await mustGet(ctx.store, task.id);
      expect(back.error).toContain('lease expired');
      expect(back.error).not.toContain('timed out');
    });

    it('lets an attempt that finishes within its timeout complete', async () => {
      const task = await ctx.store.createTask(taskInput(1, { timeoutMs: 10_000 }));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(9_999);
      await ctx.store.completeTask(lease, 'just in time');
      expect(await mustGet(ctx.store, task.id)).toMatchObject({ status: COMPLETED, result: 'just in time' });
    });
  });
}
