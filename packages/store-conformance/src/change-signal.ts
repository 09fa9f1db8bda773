import { type Task, TaskStatus, type TaskStore } from '@omc/core';
import { expect, it, vi } from 'vitest';
import { createIn, mustClaim, type StoreContext, settle, taskInput, useStore } from './harness.js';
import { describeNeeding, itNeeding } from './skips.js';
import type { ConformanceCapability, ConformanceTarget } from './target.js';

/** A listener that counts its calls. */
function counter(): { listener: () => void; readonly calls: number } {
  let calls = 0;
  return {
    listener: () => {
      calls++;
    },
    get calls() {
      return calls;
    },
  };
}

/** Wait (briefly, in real time) until `count()` is at least `n`. */
async function waitForCalls(count: () => number, n = 1): Promise<void> {
  await vi.waitFor(() => expect(count()).toBeGreaterThanOrEqual(n), { timeout: 2_000, interval: 2 });
}

/** A write through the store, after a setup that is not observed. */
const WRITES: readonly (readonly [
  name: string,
  setup: (ctx: StoreContext) => Promise<Task>,
  write: (store: TaskStore, task: Task) => unknown,
  needs?: readonly ConformanceCapability[],
])[] = [
  ['createTask', async (ctx) => ctx.store.createTask(taskInput(0)), (store) => store.createTask(taskInput(1))],
  ['createTasks', async (ctx) => ctx.store.createTask(taskInput(0)), (store) => store.createTasks([taskInput(1)])],
  ['claimTask', async (ctx) => ctx.store.createTask(taskInput(0)), (store) => store.claimTask('agent-1')],
  [
    'claimTasks',
    async (ctx) => ctx.store.createTask(taskInput(0)),
    (store) => store.claimTasks('agent-1', 5),
    ['batchClaims'],
  ],
  ['startTask', (ctx) => held(ctx), (store, task) => store.startTask(task)],
  ['startTasks', (ctx) => held(ctx), (store, task) => store.startTasks([task]), ['groupedWrites']],
  ['completeTask', (ctx) => held(ctx), (store, task) => store.completeTask(task, 'done')],
  [
    'completeTasks',
    (ctx) => held(ctx),
    (store, task) => store.completeTasks([{ lease: task, result: 'done' }]),
    ['groupedWrites'],
  ],
  ['failTask', (ctx) => held(ctx), (store, task) => store.failTask(task, 'broken')],
  ['releaseTask', (ctx) => held(ctx), (store, task) => store.releaseTask(task)],
  ['cancelTask', async (ctx) => ctx.store.createTask(taskInput(0)), (store, task) => store.cancelTask(task.id)],
  ['retryTask', (ctx) => createIn(ctx, TaskStatus.CANCELLED), (store, task) => store.retryTask(task.id)],
  [
    'updateTask',
    async (ctx) => ctx.store.createTask(taskInput(0)),
    (store, task) => store.updateTask(task.id, { metadata: { changed: true } }),
  ],
  ['deleteTask', async (ctx) => ctx.store.createTask(taskInput(0)), (store, task) => store.deleteTask(task.id)],
];

async function held(ctx: StoreContext): Promise<Task> {
  await ctx.store.createTask(taskInput('held'));
  return mustClaim(ctx.store, 'agent-1');
}

/** @internal `onChange`: a hint, soon after a write through the store, coalesced, stoppable. */
export function describeChangeSignal(target: ConformanceTarget): void {
  describeNeeding(target, ['changeSignal'], `${target.name}: onChange`, () => {
    const ctx = useStore(target);

    for (const [name, setup, write, needs = []] of WRITES) {
      itNeeding(target, needs, `calls the listener after ${name}`, async () => {
        const task = await setup(ctx);
        await settle();
        const seen = counter();
        const stop = ctx.store.onChange(seen.listener);
        await write(ctx.store, task);
        await waitForCalls(() => seen.calls);
        stop();
      });
    }

    it('calls every listener', async () => {
      const first = counter();
      const second = counter();
      ctx.store.onChange(first.listener);
      ctx.store.onChange(second.listener);
      await ctx.store.createTask(taskInput(1));
      await waitForCalls(() => first.calls);
      await waitForCalls(() => second.calls);
    });

    it('stops calling a listener once it unsubscribed, and keeps calling the others', async () => {
      const leaving = counter();
      const staying = counter();
      const stop = ctx.store.onChange(leaving.listener);
      ctx.store.onChange(staying.listener);
      await ctx.store.createTask(taskInput(1));
      await waitForCalls(() => leaving.calls);
      await waitForCalls(() => staying.calls);
      stop();
      const left = leaving.calls;
      const before = staying.calls;
      await ctx.store.createTask(taskInput(2));
      await ctx.store.claimTask('agent-1');
      await waitForCalls(() => staying.calls, before + 1);
      await settle();
      expect(leaving.calls).toBe(left);
      // Unsubscribing twice is harmless.
      stop();
    });

    it('coalesces a burst of 100 creates into a few calls, at least one', async () => {
      const seen = counter();
      ctx.store.onChange(seen.listener);
      // Issued without waiting in between: one burst.
      const creates: unknown[] = [];
      for (let i = 0; i < 100; i++) creates.push(ctx.store.createTask(taskInput(i)));
      await Promise.all(creates);
      await waitForCalls(() => seen.calls);
      await settle();
      expect(seen.calls).toBeGreaterThanOrEqual(1);
      expect(seen.calls).toBeLessThanOrEqual(10);
    });

    itNeeding(
      target,
      ['batchClaims'],
      'does not signal a claim that finds nothing, nor reads (an idle worker would spin)',
      async () => {
        await createIn(ctx, TaskStatus.CLAIMED);
        await settle();
        const seen = counter();
        ctx.store.onChange(seen.listener);
        expect(await ctx.store.claimTask('agent-1')).toBeNull();
        expect(await ctx.store.claimTasks('agent-1', 10)).toEqual([]);
        await ctx.store.getTasks();
        await ctx.store.getStats();
        await settle();
        expect(seen.calls).toBe(0);
      },
    );

    it('makes no call after close()', async () => {
      let closed = false;
      let callsAfterClose = 0;
      ctx.store.onChange(() => {
        if (closed) callsAfterClose++;
      });
      await ctx.store.createTask(taskInput(1));
      // A write and then close() in the same turn: the call the write scheduled must not come after all.
      const late = ctx.store.createTask(taskInput(2));
      const closing = ctx.store.close();
      closed = true;
      await Promise.allSettled([late, closing]);
      await settle();
      expect(callsAfterClose).toBe(0);
    });

    it('lets a listener unsubscribe after close() without throwing', async () => {
      const stop = ctx.store.onChange(() => {});
      await ctx.store.close();
      expect(() => stop()).not.toThrow();
    });
  });
}
