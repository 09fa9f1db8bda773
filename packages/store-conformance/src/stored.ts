import { type CreateTaskInput, newTaskId, type Task, TaskStatus, type UpdateTaskInput } from '@omc/core';
import { expect, it } from 'vitest';
import {
  createIn,
  expectLeaseLost,
  expectOmcError,
  expectRefusedInput,
  mustClaim,
  mustGet,
  START,
  type StoreContext,
  taskInput,
  useStore,
} from './harness.js';
import { FENCED_WRITES, LEASE_MS, LOSSES } from './leases.js';
import { describeWithBackdoor, itNeeding } from './skips.js';
import type { ConformanceTarget, StoredView } from './target.js';
import { BAD_CREATE_INPUTS, BAD_UPDATES } from './validation.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED } = TaskStatus;

/** @internal What a store must have persisted for a task it returned as `task`. */
export function storedViewOf(task: Task): StoredView {
  return {
    status: task.status,
    attempts: task.attempts,
    leaseToken: task.leaseToken,
    leaseExpiresAt: task.leaseExpiresAt ?? null,
    assignedAgent: task.assignedAgent ?? null,
    result: task.result ?? null,
    error: task.error ?? null,
    runAt: task.runAt ?? null,
    metadata: task.metadata ?? null,
  };
}

/** Expect the stored row of `task` to be exactly what the API returned for it. */
async function expectStoredAs(ctx: StoreContext, task: Task): Promise<void> {
  expect(await ctx.backdoor.readStored(task.id), `stored row of ${task.title}`).toEqual(storedViewOf(task));
}

/** Expect the stored row of `id` to be the same after `fn` as before it. */
async function expectStoredUnchanged(ctx: StoreContext, id: string, fn: () => Promise<unknown>): Promise<void> {
  const before = await ctx.backdoor.readStored(id);
  expect(before, `a row should be stored for ${id}`).not.toBeNull();
  await fn();
  expect(await ctx.backdoor.readStored(id)).toEqual(before);
}

/**
 * @internal What the store persisted, read through the target's backdoor: the row written by each write
 * is what the API returned, and a refused write leaves the row as it was.
 */
export function describeStored(target: ConformanceTarget): void {
  describeWithBackdoor(target, `${target.name}: what the store persisted`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    it('stores a created task as returned, and nothing under an unknown id', async () => {
      const created = await ctx.store.createTask(
        taskInput(1, { metadata: { nested: { list: [1, 'two', null] } }, runAt: START + 5_000 }),
      );
      expect(await ctx.backdoor.readStored(created.id)).toEqual({
        status: PENDING,
        attempts: 0,
        leaseToken: 0,
        leaseExpiresAt: null,
        assignedAgent: null,
        result: null,
        error: null,
        runAt: START + 5_000,
        metadata: { nested: { list: [1, 'two', null] } },
      });
      await expectStoredAs(ctx, await mustGet(ctx.store, created.id));
      expect(await ctx.backdoor.readStored(newTaskId())).toBeNull();
    });

    it('stores the claim it returns: status, agent, attempt, fencing token and lease', async () => {
      await ctx.store.createTask(taskInput(1));
      ctx.clock.advance(5);
      const claimed = await mustClaim(ctx.store, 'agent-A');
      expect(await ctx.backdoor.readStored(claimed.id)).toMatchObject({
        status: CLAIMED,
        assignedAgent: 'agent-A',
        attempts: 1,
        leaseToken: 1,
        leaseExpiresAt: START + 5 + LEASE_MS,
      });
      await expectStoredAs(ctx, claimed);
      // A second claim after the lease ran out stores the new holder's token and lease.
      ctx.clock.advance(LEASE_MS);
      const again = await mustClaim(ctx.store, 'agent-B');
      expect(again.leaseToken).toBe(2);
      await expectStoredAs(ctx, again);
    });

    itNeeding(target, ['batchClaims'], 'stores every claim of a batch as returned', async () => {
      await ctx.store.createTasks([taskInput(1), taskInput(2), taskInput(3)]);
      const claimed = await ctx.store.claimTasks('agent-A', 3);
      expect(claimed).toHaveLength(3);
      for (const task of claimed) await expectStoredAs(ctx, task);
    });

    it('stores the lease a heartbeat extended, and a start', async () => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(1_000);
      const { leaseExpiresAt } = await ctx.store.heartbeat(lease);
      expect((await ctx.backdoor.readStored(lease.id))?.leaseExpiresAt).toBe(leaseExpiresAt);
      await ctx.store.startTask(lease);
      expect((await ctx.backdoor.readStored(lease.id))?.status).toBe(IN_PROGRESS);
      await expectStoredAs(ctx, await mustGet(ctx.store, lease.id));
    });

    it('stores the result completeTask was given, and ends the lease', async () => {
      await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      const first = await mustClaim(ctx.store, 'agent-A');
      const second = await mustClaim(ctx.store, 'agent-B');
      await ctx.store.startTask(first);
      ctx.clock.advance(1_234);
      await ctx.store.completeTask(first, 'all good');
      await ctx.store.completeTask(second);
      expect(await ctx.backdoor.readStored(first.id)).toMatchObject({
        status: COMPLETED,
        result: 'all good',
        leaseExpiresAt: null,
        error: null,
      });
      expect(await ctx.backdoor.readStored(second.id)).toMatchObject({ status: COMPLETED, result: null });
      await expectStoredAs(ctx, await mustGet(ctx.store, first.id));
      await expectStoredAs(ctx, await mustGet(ctx.store, second.id));
    });

    itNeeding(target, ['groupedWrites'], 'stores the result of each completion of a completeTasks group', async () => {
      await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      const held = [await mustClaim(ctx.store, 'agent-A'), await mustClaim(ctx.store, 'agent-A')];
      await ctx.store.completeTasks(held.map((lease, i) => ({ lease, result: `r${i}` })));
      for (const [i, lease] of held.entries()) {
        expect(await ctx.backdoor.readStored(lease.id)).toMatchObject({ status: COMPLETED, result: `r${i}` });
        await expectStoredAs(ctx, await mustGet(ctx.store, lease.id));
      }
    });

    it('stores a failed attempt’s error and its retry time, and a final failure', async () => {
      await ctx.store.createTask(taskInput(1, { maxAttempts: 2 }));
      const lease = await mustClaim(ctx.store, 'agent-A');
      const retried = await ctx.store.failTask(lease, 'flaky');
      expect(retried).toMatchObject({ status: PENDING });
      const waiting = await mustGet(ctx.store, lease.id);
      expect(await ctx.backdoor.readStored(lease.id)).toMatchObject({ status: PENDING, error: 'flaky' });
      await expectStoredAs(ctx, waiting);
      ctx.clock.advance(60 * 60 * 1000);
      const last = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.failTask(last, 'broken', { retry: false });
      await expectStoredAs(ctx, await mustGet(ctx.store, lease.id));
    });

    it('stores what updateTask returned, metadata included', async () => {
      const task = await ctx.store.createTask(taskInput(1, { metadata: { a: 1 } }));
      const updated = await ctx.store.updateTask(task.id, { metadata: { b: [true, { c: 'é' }] } });
      await expectStoredAs(ctx, updated as Task);
      const claimed = await ctx.store.updateTask(task.id, { status: CLAIMED, assignedAgent: 'operator' });
      await expectStoredAs(ctx, claimed as Task);
    });

    it('removes the row on deleteTask and clearAll', async () => {
      const [a, b] = (await ctx.store.createTasks([taskInput(1), taskInput(2)])) as [Task, Task];
      await ctx.store.deleteTask(a.id);
      expect(await ctx.backdoor.readStored(a.id)).toBeNull();
      await ctx.store.clearAll();
      expect(await ctx.backdoor.readStored(b.id)).toBeNull();
    });

    for (const [name, lose] of LOSSES) {
      for (const [operation, write] of FENCED_WRITES) {
        it(`writes nothing for a refused ${operation} when ${name}`, async () => {
          const { lease, reason, status } = await lose(ctx);
          ctx.clock.advance(1);
          if (status === undefined) {
            await expectLeaseLost(() => write(ctx.store, lease), lease.id, reason, status);
            expect(await ctx.backdoor.readStored(lease.id)).toBeNull();
            return;
          }
          await expectStoredUnchanged(ctx, lease.id, () =>
            expectLeaseLost(() => write(ctx.store, lease), lease.id, reason, status),
          );
        });
      }
    }

    it('writes nothing of a createTasks batch refused for any bad input', async () => {
      for (const [name, build] of BAD_CREATE_INPUTS) {
        const id = newTaskId();
        await expectRefusedInput(ctx, () =>
          ctx.store.createTasks([taskInput(name, { id }), build() as CreateTaskInput]),
        );
        expect(await ctx.backdoor.readStored(id), `after a batch with ${name}`).toBeNull();
      }
    });

    it('writes nothing for a refused updateTask, bad input or a refused transition', async () => {
      const task = await createIn(ctx, IN_PROGRESS, taskInput(1, { metadata: { keep: 1 } }));
      ctx.clock.advance(1);
      for (const [, build] of BAD_UPDATES) {
        await expectStoredUnchanged(ctx, task.id, () =>
          expectRefusedInput(ctx, () => ctx.store.updateTask(task.id, build() as UpdateTaskInput)),
        );
      }
      const done = await createIn(ctx, COMPLETED);
      await expectStoredUnchanged(ctx, done.id, () =>
        expectOmcError(() => ctx.store.updateTask(done.id, { status: PENDING }), 'OMC_INVALID_TRANSITION'),
      );
    });
  });
}
