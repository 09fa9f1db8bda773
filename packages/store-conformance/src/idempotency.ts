import { TaskStatus } from '@omc/core';
import { expect, it } from 'vitest';
import { expectRefusedInput, ids, mustClaim, mustGet, taskInput, useStore } from './harness.js';
import { describeNeeding } from './skips.js';
import type { ConformanceTarget } from './target.js';

/** @internal `idempotencyKey`: creating twice with one key yields one task. */
export function describeIdempotency(target: ConformanceTarget): void {
  describeNeeding(target, ['idempotencyKeys'], `${target.name}: idempotency keys`, () => {
    const ctx = useStore(target);

    it('returns the existing task when a key is used again, adding nothing', async () => {
      const first = await ctx.store.createTask(taskInput('first', { idempotencyKey: 'order-42' }));
      expect(first.idempotencyKey).toBe('order-42');
      ctx.clock.advance(1_000);
      const again = await ctx.store.createTask(taskInput('second', { idempotencyKey: 'order-42', priority: 3 }));
      expect(again).toEqual(first);
      expect(await ctx.store.getStats()).toMatchObject({ total: 1, pending: 1 });
    });

    it('returns the existing task as it is now, whatever its status, without requeueing it', async () => {
      const task = await ctx.store.createTask(taskInput(1, { idempotencyKey: 'k' }));
      await ctx.store.completeTask(await mustClaim(ctx.store, 'agent-A'), 'done');
      const done = await mustGet(ctx.store, task.id);
      expect(await ctx.store.createTask(taskInput(1, { idempotencyKey: 'k' }))).toEqual(done);
      expect(await ctx.store.claimTask('agent-B')).toBeNull();
      expect(await mustGet(ctx.store, task.id)).toEqual(done);
    });

    it('dedupes within one createTasks batch, returning the same task at each position', async () => {
      const created = await ctx.store.createTasks([
        taskInput('a', { idempotencyKey: 'k1' }),
        taskInput('b', { idempotencyKey: 'k1' }),
        taskInput('c', { idempotencyKey: 'k2' }),
        taskInput('d'),
      ]);
      expect(created.map((task) => task.title)).toEqual(['Task a', 'Task a', 'Task c', 'Task d']);
      expect(created[1]).toEqual(created[0]);
      expect(new Set(ids(created)).size).toBe(3);
      expect(ids(await ctx.store.getTasks())).toEqual(
        ids([created[0] ?? null, created[2] ?? null, created[3] ?? null]),
      );
    });

    it('returns existing tasks in place within a batch of new ones', async () => {
      const existing = await ctx.store.createTask(taskInput('existing', { idempotencyKey: 'k' }));
      const created = await ctx.store.createTasks([taskInput(1), taskInput(2, { idempotencyKey: 'k' }), taskInput(3)]);
      expect(created[1]).toEqual(existing);
      expect((await ctx.store.getStats()).total).toBe(3);
    });

    it('treats different keys as different tasks, case included', async () => {
      const lower = await ctx.store.createTask(taskInput(1, { idempotencyKey: 'job' }));
      const upper = await ctx.store.createTask(taskInput(2, { idempotencyKey: 'JOB' }));
      const none = [await ctx.store.createTask(taskInput(3)), await ctx.store.createTask(taskInput(3))];
      expect(new Set(ids([lower, upper, ...none])).size).toBe(4);
    });

    it('round-trips a key of 255 characters, unicode included', async () => {
      const key = `é🚀${'x'.repeat(252)}`;
      expect(key).toHaveLength(255);
      const task = await ctx.store.createTask(taskInput(1, { idempotencyKey: key }));
      expect((await mustGet(ctx.store, task.id)).idempotencyKey).toBe(key);
      expect((await ctx.store.createTask(taskInput(2, { idempotencyKey: key }))).id).toBe(task.id);
    });

    it('frees a key when its task is deleted, or on clearAll', async () => {
      const first = await ctx.store.createTask(taskInput(1, { idempotencyKey: 'k' }));
      expect(await ctx.store.deleteTask(first.id)).toBe(true);
      const second = await ctx.store.createTask(taskInput(2, { idempotencyKey: 'k' }));
      expect(second.id).not.toBe(first.id);
      expect(second).toMatchObject({ title: 'Task 2', status: TaskStatus.PENDING, idempotencyKey: 'k' });
      await ctx.store.clearAll();
      const third = await ctx.store.createTask(taskInput(3, { idempotencyKey: 'k' }));
      expect(third.id).not.toBe(second.id);
      expect((await ctx.store.getStats()).total).toBe(1);
    });

    it('does not reserve the keys of a refused batch', async () => {
      await expectRefusedInput(ctx, () =>
        ctx.store.createTasks([taskInput(1, { idempotencyKey: 'k' }), taskInput(2, { title: '' })]),
      );
      const task = await ctx.store.createTask(taskInput(3, { idempotencyKey: 'k' }));
      expect(task.title).toBe('Task 3');
      expect((await ctx.store.getStats()).total).toBe(1);
    });

    it('creates one task when creates with the same key run concurrently', async () => {
      const created = await Promise.all(
        Array.from({ length: 5 }, (_, i) => ctx.store.createTask(taskInput(i, { idempotencyKey: 'same' }))),
      );
      expect(new Set(ids(created)).size).toBe(1);
      expect((await ctx.store.getStats()).total).toBe(1);
    });
  });
}
