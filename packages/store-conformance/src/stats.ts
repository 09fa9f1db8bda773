import { emptyStats, STATS_KEY, TASK_STATUSES, type TaskStats, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { createIn, expectOmcError, type StoreContext, taskInput, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';
import { seedMixedWorkload } from './workload.js';

/** Stats computed the slow way, from the listing, to compare with the store's own counts. */
async function countFromListing(ctx: StoreContext): Promise<TaskStats> {
  const stats = emptyStats();
  for (const task of await ctx.store.getTasks()) {
    stats[STATS_KEY[task.status]]++;
    stats.total++;
  }
  return stats;
}

/** @internal `getStats`: counts per status agree with the tasks, through every kind of change. */
export function describeStats(target: ConformanceTarget): void {
  describe(`${target.name}: getStats`, () => {
    const ctx = useStore(target);

    it('is all zeros for an empty store, with exactly the guide’s fields', async () => {
      expect(await ctx.store.getStats()).toStrictEqual(emptyStats());
    });

    it('counts each status after a mixed workload, matching getTasks', async () => {
      const { tasks } = await seedMixedWorkload(ctx);
      const stats = await ctx.store.getStats();
      expect(stats).toEqual(await countFromListing(ctx));
      expect(stats.total).toBe(tasks.length);
      for (const status of TASK_STATUSES) {
        expect(stats[STATS_KEY[status]], status).toBe((await ctx.store.getTasks({ status })).length);
        expect(stats[STATS_KEY[status]], status).toBe(tasks.filter((task) => task.status === status).length);
      }
    });

    it('follows claims, transitions, sends back and deletions', async () => {
      await ctx.store.createTasks(Array.from({ length: 6 }, (_, i) => taskInput(i)));
      const a = await ctx.store.claimTask('agent-1');
      const b = await ctx.store.claimTask('agent-2');
      await ctx.store.updateTask(a?.id as string, { status: TaskStatus.IN_PROGRESS });
      await ctx.store.updateTask(b?.id as string, { status: TaskStatus.PENDING });
      expect(await ctx.store.getStats()).toEqual({ ...emptyStats(), total: 6, pending: 5, inProgress: 1 });
      await ctx.store.updateTask(a?.id as string, { status: TaskStatus.FAILED, error: 'x' });
      expect(await ctx.store.deleteTask(a?.id as string)).toBe(true);
      expect(await ctx.store.getStats()).toEqual({ ...emptyStats(), total: 5, pending: 5 });
      expect(await ctx.store.getStats()).toEqual(await countFromListing(ctx));
    });

    it('is unchanged by a refused transition', async () => {
      const done = await createIn(ctx, TaskStatus.COMPLETED);
      const before = await ctx.store.getStats();
      await expectOmcError(
        () => ctx.store.updateTask(done.id, { status: TaskStatus.PENDING }),
        'OMC_INVALID_TRANSITION',
      );
      expect(await ctx.store.getStats()).toEqual(before);
    });

    it('drops to zero after clearAll', async () => {
      await seedMixedWorkload(ctx);
      await ctx.store.clearAll();
      expect(await ctx.store.getStats()).toEqual(emptyStats());
    });
  });
}
