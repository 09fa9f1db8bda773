import { TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { expectRefusedInput, mustClaim, START, taskInput, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

const LEASE_MS = 30_000;

/** @internal `getTaskHistory`: one entry per status change, whoever made it, in order. */
export function describeHistory(target: ConformanceTarget): void {
  describe(`${target.name}: task history`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS, backoff: { baseMs: 1_000, maxMs: 1_000 }, random: () => 0 });

    it('records nothing at creation, nor for heartbeats, metadata or same-status updates', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      expect(await ctx.store.getTaskHistory(task.id)).toEqual([]);
      const lease = await mustClaim(ctx.store, 'agent-A');
      for (let i = 0; i < 3; i++) {
        ctx.clock.advance(1_000);
        await ctx.store.heartbeat(lease);
      }
      await ctx.store.updateTask(task.id, { metadata: { progress: 0.5 } });
      await ctx.store.updateTask(task.id, { status: CLAIMED });
      expect(await ctx.store.getTaskHistory(task.id)).toEqual([
        { taskId: task.id, from: PENDING, to: CLAIMED, agent: 'agent-A', attempt: 1, at: START, reason: undefined },
      ]);
    });

    it('names the agent an update gave a held task in the changes its holder makes next', async () => {
      // Found by the model-based suite: the SQLite pool named the claimant, the reference the agent
      // updateTask had assigned since.
      const [first, second] = await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      const a = await mustClaim(ctx.store, 'agent-A');
      const b = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.updateTask(a.id, { assignedAgent: 'agent-B' });
      await ctx.store.updateTask(b.id, { assignedAgent: 'agent-C' });
      await ctx.store.startTask(a);
      await ctx.store.completeTask(a, 'done');
      ctx.clock.advance(LEASE_MS);
      await ctx.store.reclaimExpired();
      const agents = async (id: string) => (await ctx.store.getTaskHistory(id)).map((step) => [step.to, step.agent]);
      expect(await agents(first?.id as string)).toEqual([
        [CLAIMED, 'agent-A'],
        [IN_PROGRESS, 'agent-B'],
        [COMPLETED, 'agent-B'],
      ]);
      expect(await agents(second?.id as string)).toEqual([
        [CLAIMED, 'agent-A'],
        [PENDING, 'agent-C'],
      ]);
      // And back again: the latest agent counts.
      const again = await mustClaim(ctx.store, 'agent-D');
      await ctx.store.updateTask(again.id, { assignedAgent: 'agent-E' });
      await ctx.store.updateTask(again.id, { assignedAgent: 'agent-D' });
      await ctx.store.releaseTask(again);
      expect((await agents(second?.id as string)).slice(2)).toEqual([
        [CLAIMED, 'agent-D'],
        [PENDING, 'agent-D'],
      ]);
    });

    it('records every change of a run, in order, with the agent, the attempt, the time and the reason', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const t = (ms: number) => {
        ctx.clock.set(START + ms);
        return START + ms;
      };
      t(10);
      const a = await mustClaim(ctx.store, 'agent-A');
      t(20);
      await ctx.store.startTask(a);
      t(30);
      const { runAt } = await ctx.store.failTask(a, 'boom');
      expect(runAt).toBe(START + 530);
      t(530);
      await mustClaim(ctx.store, 'agent-B');
      t(530 + LEASE_MS);
      const c = await mustClaim(ctx.store, 'agent-C');
      t(40_000);
      await ctx.store.completeTask(c, 'done');
      const history = await ctx.store.getTaskHistory(task.id);
      const entry = (
        from: TaskStatus,
        to: TaskStatus,
        agent: string,
        attempt: number,
        at: number,
        reason?: unknown,
      ) => ({
        taskId: task.id,
        from,
        to,
        agent,
        attempt,
        at,
        reason,
      });
      expect(history).toEqual([
        entry(PENDING, CLAIMED, 'agent-A', 1, START + 10),
        entry(CLAIMED, IN_PROGRESS, 'agent-A', 1, START + 20),
        entry(IN_PROGRESS, PENDING, 'agent-A', 1, START + 30, 'boom'),
        entry(PENDING, CLAIMED, 'agent-B', 2, START + 530),
        entry(CLAIMED, PENDING, 'agent-B', 2, START + 530 + LEASE_MS, expect.stringContaining('lease expired')),
        entry(PENDING, CLAIMED, 'agent-C', 3, START + 530 + LEASE_MS),
        entry(CLAIMED, COMPLETED, 'agent-C', 3, START + 40_000),
      ]);
    });

    it('records the changes operators make: updateTask, cancelTask, retryTask', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      ctx.clock.advance(1);
      await ctx.store.updateTask(task.id, { status: CLAIMED, assignedAgent: 'operator' });
      ctx.clock.advance(1);
      await ctx.store.updateTask(task.id, { status: FAILED, error: 'stuck' });
      ctx.clock.advance(1);
      await ctx.store.retryTask(task.id);
      ctx.clock.advance(1);
      await ctx.store.cancelTask(task.id, { reason: 'obsolete' });
      const history = await ctx.store.getTaskHistory(task.id);
      expect(history).toMatchObject([
        { from: PENDING, to: CLAIMED, agent: 'operator', attempt: 1, at: START + 1 },
        { from: CLAIMED, to: FAILED, agent: 'operator', attempt: 1, at: START + 2 },
        { from: FAILED, to: PENDING, attempt: 1, at: START + 3 },
        { from: PENDING, to: CANCELLED, attempt: 0, at: START + 4, reason: 'obsolete' },
      ]);
      expect(history.every((e) => e.taskId === task.id)).toBe(true);
    });

    it('keeps each task’s history apart', async () => {
      const [first, second] = await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      await mustClaim(ctx.store, 'agent-A');
      await ctx.store.cancelTask(second?.id as string);
      expect((await ctx.store.getTaskHistory(first?.id as string)).map((e) => [e.taskId, e.to])).toEqual([
        [first?.id, CLAIMED],
      ]);
      expect((await ctx.store.getTaskHistory(second?.id as string)).map((e) => [e.taskId, e.to])).toEqual([
        [second?.id, CANCELLED],
      ]);
    });

    it('returns an empty history for an unknown id and refuses an empty one', async () => {
      expect(await ctx.store.getTaskHistory('00000000-0000-4000-8000-000000000000')).toEqual([]);
      await expectRefusedInput(ctx, () => ctx.store.getTaskHistory(''));
    });

    it('drops a task’s history with the task, on deleteTask and on clearAll', async () => {
      const [first, second] = await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      for (const agent of ['agent-A', 'agent-B']) await ctx.store.completeTask(await mustClaim(ctx.store, agent), 'ok');
      expect(await ctx.store.getTaskHistory(first?.id as string)).toHaveLength(2);
      expect(await ctx.store.deleteTask(first?.id as string)).toBe(true);
      expect(await ctx.store.getTaskHistory(first?.id as string)).toEqual([]);
      expect(await ctx.store.getTaskHistory(second?.id as string)).toHaveLength(2);
      await ctx.store.clearAll();
      expect(await ctx.store.getTaskHistory(second?.id as string)).toEqual([]);
    });

    it('returns copies: changing a returned history does not change the stored one', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await mustClaim(ctx.store, 'agent-A');
      const history = await ctx.store.getTaskHistory(task.id);
      const kept = structuredClone(history);
      history.push({ ...(history[0] as (typeof history)[number]), to: FAILED });
      (history[0] as (typeof history)[number]).agent = 'intruder';
      expect(await ctx.store.getTaskHistory(task.id)).toEqual(kept);
    });
  });
}
