import { InvalidInputError, TASK_PRIORITIES, TASK_STATUSES, type Task, TaskPriority, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { expectedOrder, expectRefusedInput, ids, taskInput, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';
import { AGENTS, seedMixedWorkload, type Workload } from './workload.js';

/** @internal `getTasks`: each filter, their combination, the order, and paging. */
export function describeFilters(target: ConformanceTarget): void {
  describe(`${target.name}: getTasks`, () => {
    const ctx = useStore(target);
    let workload: Workload;

    /** The workload's tasks matching `keep`, in the order every store must return them. */
    const expected = (keep: (task: Task) => boolean) =>
      ids(expectedOrder(workload.tasks.filter(keep), workload.creationIndex));

    it('returns every task by priority DESC, then createdAt ASC, then creation order', async () => {
      workload = await seedMixedWorkload(ctx);
      expect(ids(await ctx.store.getTasks())).toEqual(expected(() => true));
      expect(ids(await ctx.store.getTasks({}))).toEqual(expected(() => true));
    });

    it('returns full tasks, equal to getTask', async () => {
      workload = await seedMixedWorkload(ctx);
      for (const task of await ctx.store.getTasks()) {
        expect(task).toEqual(await ctx.store.getTask(task.id));
      }
    });

    it('filters by status', async () => {
      workload = await seedMixedWorkload(ctx);
      for (const status of TASK_STATUSES) {
        const found = await ctx.store.getTasks({ status });
        expect(found.length, status).toBeGreaterThan(0);
        expect(ids(found), status).toEqual(expected((task) => task.status === status));
      }
    });

    it('filters by priority, including LOW (0)', async () => {
      workload = await seedMixedWorkload(ctx);
      for (const priority of TASK_PRIORITIES) {
        expect(ids(await ctx.store.getTasks({ priority })), String(priority)).toEqual(
          expected((task) => task.priority === priority),
        );
      }
    });

    it('filters by assigned agent', async () => {
      workload = await seedMixedWorkload(ctx);
      for (const agent of AGENTS) {
        const found = await ctx.store.getTasks({ assignedAgent: agent });
        expect(found.length, agent).toBeGreaterThan(0);
        expect(ids(found), agent).toEqual(expected((task) => task.assignedAgent === agent));
      }
      expect(await ctx.store.getTasks({ assignedAgent: 'nobody' })).toEqual([]);
    });

    it('combines filters with AND', async () => {
      workload = await seedMixedWorkload(ctx);
      const criticalPending = { status: TaskStatus.PENDING, priority: TaskPriority.CRITICAL };
      expect(ids(await ctx.store.getTasks(criticalPending))).toEqual(
        expected((task) => task.status === TaskStatus.PENDING && task.priority === TaskPriority.CRITICAL),
      );
      for (const agent of AGENTS) {
        const agentDone = { assignedAgent: agent, status: TaskStatus.COMPLETED, priority: TaskPriority.LOW };
        expect(ids(await ctx.store.getTasks(agentDone)), agent).toEqual(
          expected(
            (task) =>
              task.assignedAgent === agent &&
              task.status === TaskStatus.COMPLETED &&
              task.priority === TaskPriority.LOW,
          ),
        );
      }
    });

    it('pages with limit and offset, covering every task exactly once, in order', async () => {
      workload = await seedMixedWorkload(ctx);
      const pages: Task[][] = [];
      for (let offset = 0; ; offset += 5) {
        const page = await ctx.store.getTasks({ limit: 5, offset });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(5);
        pages.push(page);
      }
      expect(pages).toHaveLength(Math.ceil(workload.tasks.length / 5));
      expect(ids(pages.flat())).toEqual(expected(() => true));
    });

    it('applies limit and offset after the filter', async () => {
      workload = await seedMixedWorkload(ctx);
      const all = expected((task) => task.priority === TaskPriority.HIGH);
      expect(ids(await ctx.store.getTasks({ priority: TaskPriority.HIGH, limit: 2 }))).toEqual(all.slice(0, 2));
      expect(ids(await ctx.store.getTasks({ priority: TaskPriority.HIGH, offset: 2 }))).toEqual(all.slice(2));
      expect(ids(await ctx.store.getTasks({ priority: TaskPriority.HIGH, offset: 2, limit: 3 }))).toEqual(
        all.slice(2, 5),
      );
      expect(await ctx.store.getTasks({ offset: 1_000 })).toEqual([]);
    });

    it('pages with an after cursor, covering every task exactly once, in order', async () => {
      workload = await seedMixedWorkload(ctx);
      for (const filter of [{}, { priority: TaskPriority.HIGH }, { status: TaskStatus.COMPLETED }]) {
        const seen: Task[] = [];
        for (let page = await ctx.store.getTasks({ ...filter, limit: 4 }); page.length > 0; ) {
          expect(page.length).toBeLessThanOrEqual(4);
          seen.push(...page);
          page = await ctx.store.getTasks({ ...filter, limit: 4, after: (page[page.length - 1] as Task).id });
        }
        const keep = (task: Task) => Object.entries(filter).every(([key, value]) => task[key as keyof Task] === value);
        expect(ids(seen), JSON.stringify(filter)).toEqual(expected(keep));
      }
    });

    it('continues after a cursor task that no longer matches the filter', async () => {
      const [first, second, third] = [
        await ctx.store.createTask(taskInput(0)),
        await ctx.store.createTask(taskInput(1)),
        await ctx.store.createTask(taskInput(2)),
      ] as Task[];
      await ctx.store.claimTask('agent-1'); // the first is no longer pending
      const after = await ctx.store.getTasks({ status: TaskStatus.PENDING, after: first!.id });
      expect(ids(after)).toEqual([second!.id, third!.id]);
      expect(await ctx.store.getTasks({ after: third!.id })).toEqual([]);
    });

    it('pages with a cursor through tasks created in the same millisecond, in creation order', async () => {
      const created: Task[] = [];
      for (let i = 0; i < 12; i++) created.push(await ctx.store.createTask(taskInput(i)));
      const firstPage = await ctx.store.getTasks({ limit: 5 });
      const rest = await ctx.store.getTasks({ after: (firstPage[4] as Task).id });
      expect(ids([...firstPage, ...rest])).toEqual(ids(created));
    });

    it('refuses an unknown cursor, and a cursor with an offset', async () => {
      const task = await ctx.store.createTask(taskInput(0));
      const unknown = await expectRefusedInput(ctx, () => ctx.store.getTasks({ after: 'no-such-task' }));
      expect(InvalidInputError.isInstance(unknown) && unknown.field).toBe('filter.after');
      await expectRefusedInput(ctx, () => ctx.store.getTasks({ after: task.id, offset: 1 }));
      await expectRefusedInput(ctx, () => ctx.store.getTasks({ after: '' }));
    });

    it('keeps creation order among tasks created in the same millisecond', async () => {
      const created: Task[] = [];
      for (let i = 0; i < 30; i++) created.push(await ctx.store.createTask(taskInput(i)));
      expect(ids(await ctx.store.getTasks({ status: TaskStatus.PENDING }))).toEqual(ids(created));
    });
  });
}
