import { DEFAULT_LEASE_POLICY, type Task, TaskPriority, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { createIn, ids, mustGet, START, type StoreContext, taskInput, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

/** Claim until the store runs dry, returning the claimed tasks in claim order. */
async function claimAll(ctx: StoreContext, agent = 'agent-1'): Promise<Task[]> {
  const claimed: Task[] = [];
  for (let task = await ctx.store.claimTask(agent); task; task = await ctx.store.claimTask(agent)) {
    claimed.push(task);
  }
  return claimed;
}

/** @internal `claimTask`: which task comes next, what claiming writes, and that no task is claimed twice. */
export function describeClaim(target: ConformanceTarget): void {
  describe(`${target.name}: claimTask`, () => {
    const ctx = useStore(target);

    it('returns null when nothing is pending', async () => {
      expect(await ctx.store.claimTask('agent-1')).toBeNull();
      await ctx.store.createTask(taskInput(1));
      expect(await ctx.store.claimTask('agent-1')).not.toBeNull();
      expect(await ctx.store.claimTask('agent-1')).toBeNull();
    });

    it('sets status CLAIMED, the agent, startedAt and updatedAt, an attempt and a lease, and keeps createdAt', async () => {
      const created = await ctx.store.createTask(taskInput(1, { metadata: { keep: true } }));
      ctx.clock.advance(250);
      const claimed = await ctx.store.claimTask('agent-worker-1');
      expect(claimed).toEqual({
        ...created,
        status: TaskStatus.CLAIMED,
        assignedAgent: 'agent-worker-1',
        startedAt: START + 250,
        updatedAt: START + 250,
        attempts: 1,
        leaseToken: 1,
        leaseExpiresAt: START + 250 + DEFAULT_LEASE_POLICY.leaseMs,
      });
      expect(await mustGet(ctx.store, created.id)).toEqual(claimed);
    });

    it('claims the highest priority first', async () => {
      const order = [TaskPriority.LOW, TaskPriority.MEDIUM, TaskPriority.CRITICAL, TaskPriority.HIGH];
      for (const priority of order) {
        await ctx.store.createTask(taskInput(priority, { priority }));
        ctx.clock.advance(1);
      }
      const claimed = await claimAll(ctx);
      expect(claimed.map((task) => task.priority)).toEqual([3, 2, 1, 0]);
    });

    it('prefers a newer high-priority task over an older low-priority one', async () => {
      await ctx.store.createTask(taskInput('old', { priority: TaskPriority.LOW }));
      ctx.clock.advance(60_000);
      const urgent = await ctx.store.createTask(taskInput('new', { priority: TaskPriority.HIGH }));
      expect((await ctx.store.claimTask('agent-1'))?.id).toBe(urgent.id);
    });

    it('claims the oldest first among equal priorities', async () => {
      const created: Task[] = [];
      for (let i = 0; i < 5; i++) {
        created.push(await ctx.store.createTask(taskInput(i)));
        ctx.clock.advance(10);
      }
      expect(ids(await claimAll(ctx))).toEqual(ids(created));
    });

    it('claims tasks created in the same millisecond strictly in creation order', async () => {
      // The clock does not move: only a creation sequence (not createdAt, not a random id) can order these.
      const created: Task[] = [];
      for (let i = 0; i < 50; i++) created.push(await ctx.store.createTask(taskInput(i)));
      expect(new Set(created.map((task) => task.createdAt))).toEqual(new Set([START]));
      expect(ids(await claimAll(ctx))).toEqual(ids(created));
    });

    it('claims a batch from createTasks in input order', async () => {
      const created = await ctx.store.createTasks(Array.from({ length: 20 }, (_, i) => taskInput(i)));
      expect(ids(await claimAll(ctx))).toEqual(ids(created));
    });

    it('orders by createdAt, not insertion, when the clock went backwards', async () => {
      const first = await ctx.store.createTask(taskInput('inserted first'));
      ctx.clock.set(START - 5_000);
      const second = await ctx.store.createTask(taskInput('inserted second, older'));
      expect(second.createdAt).toBe(START - 5_000);
      expect(ids(await claimAll(ctx))).toEqual([second.id, first.id]);
    });

    it('never claims a task that is not PENDING', async () => {
      for (const status of [
        TaskStatus.CLAIMED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.COMPLETED,
        TaskStatus.FAILED,
        TaskStatus.CANCELLED,
      ]) {
        // CRITICAL, so a store that ignored status would pick these before the MEDIUM pending task.
        await createIn(ctx, status, taskInput(status, { priority: TaskPriority.CRITICAL }));
      }
      const pending = await ctx.store.createTask(taskInput('pending'));
      const before = await ctx.store.getTasks();
      const claimed = await ctx.store.claimTask('agent-2');
      expect(claimed?.id).toBe(pending.id);
      expect(await ctx.store.claimTask('agent-2')).toBeNull();
      const after = await ctx.store.getTasks();
      expect(after.filter((task) => task.id !== pending.id)).toEqual(before.filter((task) => task.id !== pending.id));
    });

    it('gives 3 agents competing for 2 pending tasks two different tasks and one null', async () => {
      const created = await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      const task1 = await ctx.store.claimTask('agent-A');
      const task2 = await ctx.store.claimTask('agent-B');
      const task3 = await ctx.store.claimTask('agent-C');
      expect(ids([task1, task2])).toEqual(ids(created));
      expect(task3).toBeNull();
      expect((await mustGet(ctx.store, created[0]?.id as string)).assignedAgent).toBe('agent-A');
      expect((await mustGet(ctx.store, created[1]?.id as string)).assignedAgent).toBe('agent-B');
    });

    it('gives concurrent claims distinct tasks', async () => {
      await ctx.store.createTasks(Array.from({ length: 10 }, (_, i) => taskInput(i)));
      // Issued together: an async store must still hand each task to exactly one caller.
      const results = await Promise.all(Array.from({ length: 15 }, (_, i) => ctx.store.claimTask(`agent-${i}`)));
      const claimed = results.filter((task): task is Task => task !== null);
      expect(claimed).toHaveLength(10);
      expect(new Set(ids(claimed)).size).toBe(10);
      expect((await ctx.store.getStats()).claimed).toBe(10);
    });

    it('makes a task sent back to PENDING claimable again, with a fresh start time', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await ctx.store.claimTask('agent-1');
      ctx.clock.advance(1_000);
      await ctx.store.updateTask(task.id, { status: TaskStatus.PENDING });
      ctx.clock.advance(1_000);
      const again = await ctx.store.claimTask('agent-2');
      expect(again).toMatchObject({ id: task.id, assignedAgent: 'agent-2', startedAt: START + 2_000 });
    });
  });
}
