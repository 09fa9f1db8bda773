import { type Task, TaskPriority, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { expectRefusedInput, ids, mustGet, START, taskInput, UUID_PATTERN, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

/** @internal `createTasks`: all inputs inserted in order, or none. */
export function describeBatch(target: ConformanceTarget): void {
  describe(`${target.name}: createTasks`, () => {
    const ctx = useStore(target);

    it('inserts every input, in order, as PENDING tasks stamped with the clock', async () => {
      const inputs = Array.from({ length: 25 }, (_, i) =>
        taskInput(i, { priority: TaskPriority.MEDIUM, metadata: { index: i } }),
      );
      const created = await ctx.store.createTasks(inputs);
      expect(created.map((task) => task.title)).toEqual(inputs.map((input) => input.title));
      expect(new Set(ids(created)).size).toBe(25);
      for (const [i, task] of created.entries()) {
        expect(task.id).toMatch(UUID_PATTERN);
        expect(task).toMatchObject({ status: TaskStatus.PENDING, createdAt: START, metadata: { index: i } });
        expect(await mustGet(ctx.store, task.id)).toEqual(task);
      }
      // Same priority, same millisecond: the listing must keep input order.
      expect(ids(await ctx.store.getTasks())).toEqual(ids(created));
    });

    it('applies the same defaults as createTask', async () => {
      const [plain, low] = await ctx.store.createTasks([taskInput(1), taskInput(2, { priority: TaskPriority.LOW })]);
      expect(plain?.priority).toBe(TaskPriority.MEDIUM);
      expect(low?.priority).toBe(TaskPriority.LOW);
    });

    it('accepts an empty batch and writes nothing', async () => {
      expect(await ctx.store.createTasks([])).toEqual([]);
      expect((await ctx.store.getStats()).total).toBe(0);
    });

    it('inserts nothing when one input in the batch is invalid', async () => {
      await ctx.store.createTask(taskInput('existing'));
      const before = await ctx.store.getTasks();
      const bad = [
        [taskInput(1), taskInput(2), taskInput(3, { title: ' ' }), taskInput(4)],
        [taskInput(1), taskInput(2, { priority: 7 as TaskPriority })],
        [taskInput(1), taskInput(2, { metadata: { n: 1n } })],
      ];
      for (const inputs of bad) {
        await expectRefusedInput(ctx, () => ctx.store.createTasks(inputs));
      }
      expect(await ctx.store.getTasks()).toEqual(before);
    });

    it('returns copies that do not alias the store', async () => {
      const [task] = (await ctx.store.createTasks([taskInput(1, { metadata: { list: [1] } })])) as [Task];
      (task.metadata as { list: number[] }).list.push(2);
      expect((await mustGet(ctx.store, task.id)).metadata).toEqual({ list: [1] });
    });
  });
}
