import { InvalidTransitionError, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import {
  createIn,
  expectLeaseLost,
  expectOmcError,
  mustClaim,
  mustGet,
  START,
  snapshot,
  taskInput,
  useStore,
} from './harness.js';
import type { ConformanceTarget } from './target.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

const LEASE_MS = 30_000;

/** @internal `cancelTask`: any unfinished task can be cancelled, and its holder learns at its next write. */
export function describeCancellation(target: ConformanceTarget): void {
  describe(`${target.name}: cancelTask`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    it('cancels a PENDING task, which is then never claimed', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      ctx.clock.advance(100);
      const cancelled = await ctx.store.cancelTask(task.id, { reason: 'not needed' });
      expect(cancelled).toEqual({ ...task, status: CANCELLED, updatedAt: START + 100 });
      expect(await mustGet(ctx.store, task.id)).toEqual(cancelled);
      expect(await ctx.store.claimTask('agent-A')).toBeNull();
      expect(await ctx.store.getTaskHistory(task.id)).toEqual([
        {
          taskId: task.id,
          from: PENDING,
          to: CANCELLED,
          agent: undefined,
          attempt: 0,
          at: START + 100,
          reason: 'not needed',
        },
      ]);
    });

    it('cancels a delayed task, clearing its runAt', async () => {
      const task = await ctx.store.createTask(taskInput(1, { runAt: START + 60_000 }));
      const cancelled = await ctx.store.cancelTask(task.id);
      expect(cancelled?.status).toBe(CANCELLED);
      expect(cancelled?.runAt).toBeUndefined();
      ctx.clock.advance(60_000);
      expect(await ctx.store.claimTask('agent-A')).toBeNull();
    });

    for (const from of [CLAIMED, IN_PROGRESS]) {
      it(`cancels a task that is ${from}; its holder's heartbeat and writes are refused as cancelled`, async () => {
        const task = await ctx.store.createTask(taskInput(1));
        const lease = await mustClaim(ctx.store, 'agent-A');
        if (from === IN_PROGRESS) await ctx.store.startTask(lease);
        ctx.clock.advance(1_000);
        const cancelled = await ctx.store.cancelTask(task.id, { reason: 'superseded by a new plan' });
        expect(cancelled).toMatchObject({ status: CANCELLED, updatedAt: START + 1_000, attempts: 1, leaseToken: 1 });
        expect(cancelled?.leaseExpiresAt).toBeUndefined();
        expect(cancelled?.completedAt).toBeUndefined();
        expect(await mustGet(ctx.store, task.id)).toEqual(cancelled);
        const after = await snapshot(ctx.store, task.id);
        ctx.clock.advance(10);
        await expectLeaseLost(() => ctx.store.heartbeat(lease), task.id, 'cancelled', CANCELLED);
        await expectLeaseLost(() => ctx.store.completeTask(lease, 'done anyway'), task.id, 'cancelled', CANCELLED);
        await expectLeaseLost(() => ctx.store.failTask(lease, 'gave up'), task.id, 'cancelled', CANCELLED);
        await expectLeaseLost(() => ctx.store.releaseTask(lease), task.id, 'cancelled', CANCELLED);
        expect(await snapshot(ctx.store, task.id)).toEqual(after);
        expect(after.history.at(-1)).toEqual({
          taskId: task.id,
          from,
          to: CANCELLED,
          agent: 'agent-A',
          attempt: 1,
          at: START + 1_000,
          reason: 'superseded by a new plan',
        });
      });
    }

    it('does not reclaim a cancelled task when its lease would have run out', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await mustClaim(ctx.store, 'agent-A');
      await ctx.store.cancelTask(task.id);
      ctx.clock.advance(2 * LEASE_MS);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 0, failed: 0 });
      expect(await ctx.store.claimTask('agent-B')).toBeNull();
      expect((await mustGet(ctx.store, task.id)).status).toBe(CANCELLED);
    });

    it('tells the holder of a task cancelled through updateTask that it was cancelled', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.updateTask(task.id, { status: CANCELLED });
      await expectLeaseLost(() => ctx.store.heartbeat(lease), task.id, 'cancelled', CANCELLED);
    });

    it('refuses to cancel a finished task, writing nothing', async () => {
      for (const status of [COMPLETED, FAILED, CANCELLED]) {
        const task = await createIn(ctx, status);
        const before = await snapshot(ctx.store, task.id);
        ctx.clock.advance(1);
        const error = await expectOmcError(() => ctx.store.cancelTask(task.id), 'OMC_INVALID_TRANSITION');
        expect(InvalidTransitionError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ taskId: task.id, from: status, to: CANCELLED });
        expect(error.message).toContain(task.id);
        expect(await snapshot(ctx.store, task.id)).toEqual(before);
      }
    });

    it('returns null for an unknown id', async () => {
      await ctx.store.createTask(taskInput(1));
      expect(await ctx.store.cancelTask('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect((await ctx.store.getStats()).cancelled).toBe(0);
    });
  });
}
