import { type CreateTaskInput, InvalidInputError, newTaskId, type Task, TaskPriority, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import {
  expectRefusedInput,
  ids,
  mustClaim,
  mustGet,
  START,
  type StoreContext,
  snapshot,
  taskInput,
  useStore,
} from './harness.js';
import { describeNeeding, itNeeding } from './skips.js';
import type { ConformanceTarget } from './target.js';

const { PENDING, CLAIMED, COMPLETED, FAILED, CANCELLED } = TaskStatus;
const LEASE_MS = 30_000;

/** `dependsOn` values createTask must refuse (field `dependsOn`); `existing` is a real task's id. */
const BAD_DEPENDS_ON: readonly (readonly [name: string, build: (existing: string) => unknown])[] = [
  ['a string', (existing) => existing],
  ['null', () => null],
  ['an empty id', () => ['']],
  ['a number', () => [42]],
  ['the same id twice', (existing) => [existing, existing]],
  ['an unknown id', () => [newTaskId()]],
  ['an unknown id after a known one', (existing) => [existing, newTaskId()]],
];

/** Claim the next task, which must be `expected`, and complete it with `result`. */
async function runNext(ctx: StoreContext, expected: Task, result = `result of ${expected.title}`): Promise<void> {
  const claimed = await mustClaim(ctx.store, 'agent-1');
  expect(claimed.id, `expected ${expected.title} next, got ${claimed.title}`).toBe(expected.id);
  await ctx.store.completeTask(claimed, result);
}

/** Create A ← B ← C (C depends on B, B on A) plus D on A and B, and an unrelated E, in one batch. */
async function seedChain(ctx: StoreContext, rootInput: Partial<CreateTaskInput> = {}) {
  const a = newTaskId();
  const b = newTaskId();
  const [rootTask, bTask, cTask, dTask, eTask] = (await ctx.store.createTasks([
    taskInput('A', { id: a, ...rootInput }),
    taskInput('B', { id: b, dependsOn: [a] }),
    taskInput('C', { dependsOn: [b] }),
    taskInput('D', { dependsOn: [a, b] }),
    taskInput('E'),
  ])) as [Task, Task, Task, Task, Task];
  return { a: rootTask, b: bTask, c: cTask, d: dTask, e: eTask };
}

/** @internal Dependencies: gating in the claim, and the cancel cascade when a dependency cannot complete. */
export function describeDependencies(target: ConformanceTarget): void {
  describeNeeding(target, ['dependencies'], `${target.name}: dependencies`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    itNeeding(
      target,
      ['batchClaims'],
      'keeps a task PENDING and unclaimable until every dependency is COMPLETED',
      async () => {
        const first = await ctx.store.createTask(taskInput('first'));
        const second = await ctx.store.createTask(taskInput('second'));
        // CRITICAL, so a store ignoring dependencies would hand it out first.
        const waiting = await ctx.store.createTask(
          taskInput('waiting', { dependsOn: [second.id, first.id], priority: TaskPriority.CRITICAL }),
        );
        expect(waiting).toMatchObject({ status: PENDING, dependsOn: [second.id, first.id] });
        const heldFirst = await mustClaim(ctx.store, 'agent-1');
        const heldSecond = await mustClaim(ctx.store, 'agent-2');
        expect(ids([heldFirst, heldSecond])).toEqual([first.id, second.id]);
        expect(await ctx.store.claimTask('agent-3')).toBeNull();
        expect(await ctx.store.claimTasks('agent-3', 10)).toEqual([]);
        await ctx.store.completeTask(heldFirst, 'one');
        expect(await ctx.store.claimTask('agent-3')).toBeNull();
        await ctx.store.startTask(heldSecond);
        expect(await ctx.store.claimTask('agent-3')).toBeNull();
        expect(await mustGet(ctx.store, waiting.id)).toEqual(waiting);
        await ctx.store.completeTask(heldSecond, 'two');
        expect(await ctx.store.claimTask('agent-3')).toMatchObject({ id: waiting.id, status: CLAIMED, attempts: 1 });
      },
    );

    it('keeps a delayed dependant’s runAt while it waits, and clears it when the dependency completes late', async () => {
      // Found by the model-based suite: the reference cleared runAt at the first claim after it passed,
      // waiting or not, where the SQLite pool keeps it until the last dependency completes.
      const dependency = await ctx.store.createTask(taskInput('dependency'));
      const delayed = await ctx.store.createTask(
        taskInput('delayed', { dependsOn: [dependency.id], runAt: START + 1_000 }),
      );
      ctx.clock.advance(2_000);
      const held = await mustClaim(ctx.store, 'agent-1');
      expect(held.id).toBe(dependency.id);
      expect((await mustGet(ctx.store, delayed.id)).runAt).toBe(START + 1_000);
      await ctx.store.completeTask(held, 'done');
      const ready = await mustGet(ctx.store, delayed.id);
      expect(ready).toMatchObject({ status: PENDING });
      expect(ready.runAt).toBeUndefined();
      expect((await mustClaim(ctx.store, 'agent-1')).id).toBe(delayed.id);
    });

    it('keeps a dependant’s runAt when its dependency completes before it is due', async () => {
      const dependency = await ctx.store.createTask(taskInput('dependency'));
      const delayed = await ctx.store.createTask(
        taskInput('delayed', { dependsOn: [dependency.id], runAt: START + 10_000 }),
      );
      await runNext(ctx, dependency);
      expect((await mustGet(ctx.store, delayed.id)).runAt).toBe(START + 10_000);
      expect(await ctx.store.claimTask('agent-1')).toBeNull();
      ctx.clock.advance(10_000);
      expect((await mustClaim(ctx.store, 'agent-1')).id).toBe(delayed.id);
    });

    itNeeding(target, ['batchClaims'], 'runs a chain in dependency order, even against priority', async () => {
      const chainIds = Array.from({ length: 5 }, () => newTaskId());
      // Later links have higher priority: only the gating keeps them back.
      const chain = await ctx.store.createTasks(
        chainIds.map((id, i) =>
          taskInput(`link ${i}`, {
            id,
            priority: Math.min(i, 3) as TaskPriority,
            ...(i > 0 ? { dependsOn: [chainIds[i - 1] as string] } : {}),
          }),
        ),
      );
      expect(ids(chain)).toEqual(chainIds);
      for (const link of chain) {
        // Each time, the next link is the only claimable task.
        const held = await ctx.store.claimTasks('agent-1', 10);
        expect(ids(held)).toEqual([link.id]);
        await ctx.store.completeTask(held[0] as Task, `done ${link.title}`);
      }
      expect((await ctx.store.getStats()).completed).toBe(5);
    });

    it('lets a dependant read its dependencies’ results through getTask', async () => {
      const design = await ctx.store.createTask(taskInput('design'));
      const build = await ctx.store.createTask(taskInput('build', { dependsOn: [design.id] }));
      await runNext(ctx, design, 'the design');
      const held = await mustClaim(ctx.store, 'agent-1');
      expect(held.id).toBe(build.id);
      const results = [];
      for (const id of held.dependsOn ?? []) results.push((await mustGet(ctx.store, id)).result);
      expect(results).toEqual(['the design']);
    });

    it('treats a dependency COMPLETED before creation as met', async () => {
      const done = await ctx.store.createTask(taskInput('done'));
      await runNext(ctx, done);
      const next = await ctx.store.createTask(taskInput('next', { dependsOn: [done.id] }));
      expect(next.status).toBe(PENDING);
      expect((await ctx.store.claimTask('agent-1'))?.id).toBe(next.id);
    });

    it('cancels every unfinished dependant, transitively, when a dependency fails for good', async () => {
      const { a, b, c, d, e } = await seedChain(ctx, { maxAttempts: 1 });
      const held = await mustClaim(ctx.store, 'agent-1');
      expect(held.id).toBe(a.id);
      ctx.clock.advance(10);
      expect(await ctx.store.failTask(held, 'compiler crashed')).toMatchObject({ status: FAILED });
      expect(await mustGet(ctx.store, a.id)).toMatchObject({ status: FAILED, error: 'compiler crashed' });
      expect(await mustGet(ctx.store, b.id)).toMatchObject({ status: CANCELLED, error: `dependency ${a.id} failed` });
      expect(await mustGet(ctx.store, c.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${b.id} was cancelled`,
      });
      const dError = (await mustGet(ctx.store, d.id)).error;
      expect(await mustGet(ctx.store, d.id)).toMatchObject({ status: CANCELLED });
      expect([`dependency ${a.id} failed`, `dependency ${b.id} was cancelled`]).toContain(dError);
      expect(await mustGet(ctx.store, e.id)).toEqual(e);
      const [transition] = (await ctx.store.getTaskHistory(b.id)).slice(-1);
      expect(transition).toMatchObject({ from: PENDING, to: CANCELLED, at: START + 10 });
      expect(transition?.reason).toContain(a.id);
      expect(await ctx.store.getStats()).toMatchObject({ pending: 1, failed: 1, cancelled: 3 });
    });

    it('cancels a dependant created while its dependency was held, when the holder fails it for good', async () => {
      // The store may remember the claimed task from before it had dependants: the failure must still
      // see the dependant (found by the model-based suite).
      const a = await ctx.store.createTask(taskInput('a', { maxAttempts: 1 }));
      const held = await mustClaim(ctx.store, 'agent-1');
      const b = await ctx.store.createTask(taskInput('b', { dependsOn: [a.id] }));
      expect(await ctx.store.failTask(held, 'compiler crashed')).toMatchObject({ status: FAILED });
      expect(await mustGet(ctx.store, b.id)).toMatchObject({ status: CANCELLED, error: `dependency ${a.id} failed` });
      expect((await ctx.store.getTaskHistory(b.id)).map((step) => step.to)).toEqual([CANCELLED]);
    });

    it('does not cancel dependants while the dependency still has attempts left', async () => {
      const { a, b } = await seedChain(ctx, { maxAttempts: 2 });
      const held = await mustClaim(ctx.store, 'agent-1');
      expect(held.id).toBe(a.id);
      expect(await ctx.store.failTask(held, 'flaky')).toMatchObject({ status: PENDING });
      expect((await mustGet(ctx.store, b.id)).status).toBe(PENDING);
    });

    it('cancels dependants when the last attempt’s lease expires', async () => {
      const { a, b, c } = await seedChain(ctx, { maxAttempts: 1 });
      expect((await mustClaim(ctx.store, 'agent-1')).id).toBe(a.id);
      ctx.clock.advance(LEASE_MS);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 0, failed: 1 });
      expect(await mustGet(ctx.store, b.id)).toMatchObject({ status: CANCELLED, error: `dependency ${a.id} failed` });
      expect((await mustGet(ctx.store, c.id)).status).toBe(CANCELLED);
    });

    it('cancels dependants when an expired last attempt is reclaimed by a claim', async () => {
      const { a, b, e } = await seedChain(ctx, { maxAttempts: 1 });
      expect((await mustClaim(ctx.store, 'agent-1')).id).toBe(a.id);
      ctx.clock.advance(LEASE_MS);
      expect((await ctx.store.claimTask('agent-2'))?.id).toBe(e.id);
      expect(await mustGet(ctx.store, b.id)).toMatchObject({ status: CANCELLED, error: `dependency ${a.id} failed` });
    });

    it('names, of two dependencies that take a task down at once, the one with the smaller id', async () => {
      // Found by the model-based suite: the reference named the one cancelled first, the SQLite pool
      // whichever row its statement met first.
      const root = await ctx.store.createTask(taskInput('root'));
      const later = '00000000-0000-4000-8000-000000000002';
      const smaller = '00000000-0000-4000-8000-000000000001';
      await ctx.store.createTasks([
        taskInput('later id', { id: later, dependsOn: [root.id] }),
        taskInput('smaller id', { id: smaller, dependsOn: [root.id] }),
      ]);
      const both = await ctx.store.createTask(taskInput('both', { dependsOn: [later, smaller] }));
      await ctx.store.cancelTask(root.id);
      expect(await mustGet(ctx.store, both.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${smaller} was cancelled`,
      });
    });

    it('cancels dependants, transitively, when a dependency is cancelled', async () => {
      const { a, b, c, e } = await seedChain(ctx);
      await ctx.store.cancelTask(a.id, { reason: 'not needed' });
      expect(await mustGet(ctx.store, b.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${a.id} was cancelled`,
      });
      expect(await mustGet(ctx.store, c.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${b.id} was cancelled`,
      });
      expect((await mustGet(ctx.store, e.id)).status).toBe(PENDING);
    });

    it('cancels the dependants of a dependency cancelled mid-chain, leaving the done part alone', async () => {
      const { a, b, c, d } = await seedChain(ctx);
      await runNext(ctx, a);
      await ctx.store.cancelTask(b.id);
      expect((await mustGet(ctx.store, a.id)).status).toBe(COMPLETED);
      expect(await mustGet(ctx.store, c.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${b.id} was cancelled`,
      });
      expect(await mustGet(ctx.store, d.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${b.id} was cancelled`,
      });
    });

    it('cancels dependants when updateTask sets a dependency FAILED or CANCELLED', async () => {
      const failing = await ctx.store.createTask(taskInput('failing'));
      const cancelled = await ctx.store.createTask(taskInput('cancelled'));
      const afterFailing = await ctx.store.createTask(taskInput('x', { dependsOn: [failing.id] }));
      const afterCancelled = await ctx.store.createTask(taskInput('y', { dependsOn: [cancelled.id] }));
      await ctx.store.updateTask(failing.id, { status: CLAIMED, assignedAgent: 'operator' });
      await ctx.store.updateTask(failing.id, { status: FAILED, error: 'by hand' });
      await ctx.store.updateTask(cancelled.id, { status: CANCELLED });
      expect(await mustGet(ctx.store, afterFailing.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${failing.id} failed`,
      });
      expect(await mustGet(ctx.store, afterCancelled.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${cancelled.id} was cancelled`,
      });
    });

    it('cancels dependants, transitively, when an unfinished dependency is deleted', async () => {
      const { a, b, c, e } = await seedChain(ctx);
      expect(await ctx.store.deleteTask(a.id)).toBe(true);
      expect(await mustGet(ctx.store, b.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${a.id} was deleted`,
      });
      expect(await mustGet(ctx.store, c.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${b.id} was cancelled`,
      });
      expect((await mustGet(ctx.store, e.id)).status).toBe(PENDING);
    });

    it('forgets a deleted dependency, even when a new task is created with its id', async () => {
      // Found by the model-based suite: the reference took the new task for the old dependency (it held
      // the retried dependant back and its cancellation cancelled it); the SQLite pool counted it when
      // the dependant was retried, and never counted it down.
      const id = newTaskId();
      await ctx.store.createTask(taskInput('old', { id }));
      const dependant = await ctx.store.createTask(
        taskInput('dependant', { dependsOn: [id], priority: TaskPriority.CRITICAL }),
      );
      await ctx.store.deleteTask(id);
      expect(await mustGet(ctx.store, dependant.id)).toMatchObject({
        status: CANCELLED,
        error: `dependency ${id} was deleted`,
      });
      const reused = await ctx.store.createTask(taskInput('new', { id }));
      await ctx.store.retryTask(dependant.id);
      expect((await mustClaim(ctx.store, 'agent-1')).id).toBe(dependant.id);
      await ctx.store.cancelTask(reused.id);
      expect((await mustGet(ctx.store, dependant.id)).status).toBe(CLAIMED);
    });

    it('does not cancel dependants when a COMPLETED dependency is deleted', async () => {
      const done = await ctx.store.createTask(taskInput('done'));
      const waiting = await ctx.store.createTask(taskInput('other dep'));
      const dependant = await ctx.store.createTask(taskInput('dependant', { dependsOn: [done.id, waiting.id] }));
      await runNext(ctx, done);
      await ctx.store.deleteTask(done.id);
      expect((await mustGet(ctx.store, dependant.id)).status).toBe(PENDING);
    });

    it('leaves a dependant already cancelled as it is when another dependency fails later', async () => {
      const p = await ctx.store.createTask(taskInput('p', { maxAttempts: 1 }));
      const q = await ctx.store.createTask(taskInput('q'));
      const both = await ctx.store.createTask(taskInput('both', { dependsOn: [q.id, p.id] }));
      await ctx.store.cancelTask(q.id);
      const before = await snapshot(ctx.store, both.id);
      expect(before.task).toMatchObject({ status: CANCELLED, error: `dependency ${q.id} was cancelled` });
      ctx.clock.advance(10);
      await ctx.store.failTask(await mustClaim(ctx.store, 'agent-1'), 'boom');
      expect((await mustGet(ctx.store, p.id)).status).toBe(FAILED);
      expect(await snapshot(ctx.store, both.id)).toEqual(before);
    });

    it('creates a task whose dependency already failed as CANCELLED, naming it', async () => {
      const failed = await ctx.store.createTask(taskInput('failed', { maxAttempts: 1 }));
      await ctx.store.failTask(await mustClaim(ctx.store, 'agent-1'), 'boom');
      const ok = await ctx.store.createTask(taskInput('ok'));
      const late = await ctx.store.createTask(taskInput('late', { dependsOn: [ok.id, failed.id] }));
      expect(late).toMatchObject({ status: CANCELLED, error: `dependency ${failed.id} failed` });
      expect(await mustGet(ctx.store, late.id)).toEqual(late);
      expect((await ctx.store.claimTask('agent-1'))?.id).toBe(ok.id);
      expect(await ctx.store.claimTask('agent-1')).toBeNull();
    });

    it('creates a task whose dependency was already cancelled as CANCELLED, naming it', async () => {
      const cancelled = await ctx.store.createTask(taskInput('cancelled'));
      await ctx.store.cancelTask(cancelled.id);
      const [late, later] = (await ctx.store.createTasks([
        taskInput('late', { dependsOn: [cancelled.id] }),
        taskInput('unrelated'),
      ])) as [Task, Task];
      expect(late).toMatchObject({ status: CANCELLED, error: `dependency ${cancelled.id} was cancelled` });
      expect(later.status).toBe(PENDING);
    });

    it('lets a task depend on an earlier task of the same createTasks batch', async () => {
      const first = newTaskId();
      const second = newTaskId();
      const created = await ctx.store.createTasks([
        taskInput('first', { id: first }),
        taskInput('second', { id: second, dependsOn: [first] }),
        taskInput('third', { dependsOn: [first, second] }),
      ]);
      expect(ids(created.slice(0, 2))).toEqual([first, second]);
      expect(created[2]?.dependsOn).toEqual([first, second]);
      for (const task of created) await runNext(ctx, task);
    });

    it('refuses a dependency on a later task of the same batch, inserting nothing', async () => {
      const later = newTaskId();
      const error = await expectRefusedInput(ctx, () =>
        ctx.store.createTasks([taskInput('first', { dependsOn: [later] }), taskInput('later', { id: later })]),
      );
      expect(InvalidInputError.isInstance(error) && error.field).toBe('dependsOn');
    });

    it('names no task in an unknown dependency’s error unless the caller chose the new task’s id', async () => {
      // Found by the model-based suite: the SQLite pool named the id it had generated for the refused task.
      const unknown = newTaskId();
      const plain = await expectRefusedInput(ctx, () => ctx.store.createTask(taskInput('a', { dependsOn: [unknown] })));
      expect(plain.taskId).toBeUndefined();
      const id = newTaskId();
      const chosen = await expectRefusedInput(ctx, () =>
        ctx.store.createTasks([taskInput('b', { id, dependsOn: [unknown] })]),
      );
      expect(chosen.taskId).toBe(id);
    });

    it('refuses a task that depends on itself', async () => {
      const id = newTaskId();
      const error = await expectRefusedInput(ctx, () =>
        ctx.store.createTask(taskInput('self', { id, dependsOn: [id] })),
      );
      expect(InvalidInputError.isInstance(error) && error.field).toBe('dependsOn');
    });

    for (const [name, build] of BAD_DEPENDS_ON) {
      it(`refuses dependsOn as ${name}, inserting nothing`, async () => {
        const existing = await ctx.store.createTask(taskInput('existing'));
        const dependsOn = build(existing.id) as string[];
        const error = await expectRefusedInput(ctx, () => ctx.store.createTask(taskInput('bad', { dependsOn })));
        expect(InvalidInputError.isInstance(error) && error.field).toBe('dependsOn');
        await expectRefusedInput(ctx, () =>
          ctx.store.createTasks([taskInput('fine'), taskInput('bad', { dependsOn })]),
        );
      });
    }

    it('stores an empty dependsOn as none', async () => {
      const task = await ctx.store.createTask(taskInput(1, { dependsOn: [] }));
      expect(task.dependsOn).toBeUndefined();
      expect((await mustGet(ctx.store, task.id)).dependsOn).toBeUndefined();
    });

    it('does not revive cancelled dependants when the failed dependency is retried', async () => {
      const { a, b, c } = await seedChain(ctx, { maxAttempts: 1 });
      await ctx.store.failTask(await mustClaim(ctx.store, 'agent-1'), 'boom');
      const before = [await snapshot(ctx.store, b.id), await snapshot(ctx.store, c.id)];
      expect(await ctx.store.retryTask(a.id)).toMatchObject({ status: PENDING });
      expect([await snapshot(ctx.store, b.id), await snapshot(ctx.store, c.id)]).toEqual(before);
      await runNext(ctx, a);
      expect((await mustGet(ctx.store, b.id)).status).toBe(CANCELLED);
    });

    it('counts waiting tasks as pending in stats and listings', async () => {
      const { a } = await seedChain(ctx);
      expect(await ctx.store.getStats()).toMatchObject({ total: 5, pending: 5 });
      expect(await ctx.store.getTasks({ status: PENDING })).toHaveLength(5);
      await mustClaim(ctx.store, 'agent-1');
      await mustClaim(ctx.store, 'agent-1');
      expect(await ctx.store.claimTask('agent-1')).toBeNull();
      expect(await ctx.store.getStats()).toMatchObject({ total: 5, pending: 3, claimed: 2 });
      expect((await mustGet(ctx.store, a.id)).status).toBe(CLAIMED);
    });

    itNeeding(target, ['capabilityRouting'], 'combines gating with capabilities', async () => {
      const dep = await ctx.store.createTask(taskInput('dep', { requires: ['build'] }));
      const next = await ctx.store.createTask(taskInput('next', { requires: ['test'], dependsOn: [dep.id] }));
      expect(await ctx.store.claimTask('tester', { capabilities: ['test'] })).toBeNull();
      const held = await ctx.store.claimTask('builder', { capabilities: ['build'] });
      await ctx.store.completeTask(held as Task);
      expect(await ctx.store.claimTask('builder', { capabilities: ['build'] })).toBeNull();
      expect((await ctx.store.claimTask('tester', { capabilities: ['test'] }))?.id).toBe(next.id);
    });

    itNeeding(target, ['batchClaims', 'groupedWrites'], 'unblocks dependants through completeTasks', async () => {
      const x = await ctx.store.createTask(taskInput('x'));
      const y = await ctx.store.createTask(taskInput('y'));
      const z = await ctx.store.createTask(taskInput('z', { dependsOn: [x.id, y.id] }));
      const held = await ctx.store.claimTasks('agent-1', 10);
      expect(ids(held)).toEqual([x.id, y.id]);
      await ctx.store.completeTasks(held.map((lease) => ({ lease })));
      expect((await ctx.store.claimTask('agent-1'))?.id).toBe(z.id);
    });
  });

  describe(`${target.name}: caller-chosen task ids`, () => {
    const ctx = useStore(target);

    it('creates a task with the id given', async () => {
      const id = newTaskId();
      const task = await ctx.store.createTask(taskInput(1, { id }));
      expect(task.id).toBe(id);
      expect(await mustGet(ctx.store, id)).toEqual(task);
    });

    it('refuses an id already in use, in the store or earlier in the batch, inserting nothing', async () => {
      const taken = await ctx.store.createTask(taskInput('taken'));
      for (const attempt of [
        () => ctx.store.createTask(taskInput('again', { id: taken.id })),
        () => ctx.store.createTasks([taskInput('fine'), taskInput('again', { id: taken.id })]),
      ]) {
        const error = await expectRefusedInput(ctx, attempt);
        expect(InvalidInputError.isInstance(error) && error.field).toBe('id');
      }
      const id = newTaskId();
      const error = await expectRefusedInput(ctx, () =>
        ctx.store.createTasks([taskInput('one', { id }), taskInput('two', { id })]),
      );
      expect(InvalidInputError.isInstance(error) && error.field).toBe('id');
      expect(await mustGet(ctx.store, taken.id)).toEqual(taken);
    });

    for (const bad of ['', 'not-a-uuid', 42, newTaskId().toUpperCase()]) {
      it(`refuses the id ${JSON.stringify(bad)}`, async () => {
        const error = await expectRefusedInput(ctx, () => ctx.store.createTask(taskInput(1, { id: bad as string })));
        expect(InvalidInputError.isInstance(error) && error.field).toBe('id');
      });
    }
  });
}
