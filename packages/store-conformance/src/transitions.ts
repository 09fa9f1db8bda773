import {
  InvalidTransitionError,
  isTerminal,
  TASK_STATUSES,
  type Task,
  TaskStatus,
  TRANSITIONS,
  type UpdateTaskInput,
} from '@omc/core';
import { describe, expect, it } from 'vitest';
import { createIn, expectOmcError, mustGet, START, type StoreContext, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;
const TERMINAL = [COMPLETED, FAILED, CANCELLED] as const;

/** The update that requests `to`; claiming by update needs an agent, and going back to PENDING forbids one. */
function requestFor(to: TaskStatus): UpdateTaskInput {
  return to === CLAIMED ? { status: to, assignedAgent: 'agent-9' } : { status: to };
}

/** Expect `update` to be refused as a transition from `task.status` to `to`, leaving the task exactly as it was. */
async function expectRefusedTransition(ctx: StoreContext, task: Task, update: UpdateTaskInput, to: TaskStatus) {
  ctx.clock.advance(1);
  const error = await expectOmcError(() => ctx.store.updateTask(task.id, update), 'OMC_INVALID_TRANSITION');
  expect(error).toMatchObject({ taskId: task.id, from: task.status, to });
  expect(InvalidTransitionError.isInstance(error)).toBe(true);
  // The message must name the task so a log line alone says which one.
  expect(error.message).toContain(task.id);
  expect(await mustGet(ctx.store, task.id)).toEqual(task);
}

/** @internal The transition table as `updateTask` enforces it, and what each status change writes. */
export function describeTransitions(target: ConformanceTarget): void {
  describe(`${target.name}: status transitions`, () => {
    const ctx = useStore(target);

    describe('every change between two different statuses follows TRANSITIONS', () => {
      for (const from of TASK_STATUSES) {
        for (const to of TASK_STATUSES.filter((status) => status !== from)) {
          const allowed = TRANSITIONS[from].includes(to);
          it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, async () => {
            const task = await createIn(ctx, from);
            if (!allowed) return expectRefusedTransition(ctx, task, requestFor(to), to);
            ctx.clock.advance(1);
            const updated = await ctx.store.updateTask(task.id, requestFor(to));
            expect(updated?.status).toBe(to);
            expect(updated?.updatedAt).toBe(ctx.clock.now());
            expect(await mustGet(ctx.store, task.id)).toEqual(updated);
          });
        }
      }
    });

    it('refuses any status, agent, result or error change on a terminal task', async () => {
      for (const status of TERMINAL) {
        const task = await createIn(ctx, status);
        await expectRefusedTransition(ctx, task, { status }, status);
        await expectRefusedTransition(ctx, task, { result: 'late' }, status);
        await expectRefusedTransition(ctx, task, { error: 'late' }, status);
        await expectRefusedTransition(ctx, task, { assignedAgent: 'agent-late' }, status);
        await expectRefusedTransition(ctx, task, { status: PENDING, metadata: { retry: true } }, PENDING);
      }
    });

    it('accepts a metadata-only update on a terminal task', async () => {
      for (const status of TERMINAL) {
        const task = await createIn(ctx, status);
        ctx.clock.advance(1);
        const updated = await ctx.store.updateTask(task.id, { metadata: { archived: true } });
        expect(updated).toEqual({ ...task, metadata: { archived: true }, updatedAt: ctx.clock.now() });
      }
    });

    it('treats the current status of a live task as a no-op that only bumps updatedAt', async () => {
      for (const status of TASK_STATUSES.filter((s) => !isTerminal(s))) {
        const task = await createIn(ctx, status);
        ctx.clock.advance(1);
        const updated = await ctx.store.updateTask(task.id, { status });
        expect(updated).toEqual({ ...task, updatedAt: ctx.clock.now() });
      }
    });

    it('completes or fails a CLAIMED task directly, as the guide’s Custom Integration example does', async () => {
      const done = await createIn(ctx, CLAIMED);
      ctx.clock.advance(100);
      const completed = await ctx.store.updateTask(done.id, { status: COMPLETED, result: 'ok' });
      expect(completed).toMatchObject({ status: COMPLETED, result: 'ok', completedAt: ctx.clock.now() });
      const broken = await createIn(ctx, CLAIMED);
      ctx.clock.advance(100);
      const failed = await ctx.store.updateTask(broken.id, { status: FAILED, error: 'boom' });
      expect(failed).toMatchObject({ status: FAILED, error: 'boom', completedAt: ctx.clock.now() });
    });

    it('runs the guide’s Typical Flow: claim, start, complete with a result', async () => {
      const task = await ctx.store.createTask({ title: 'Implement login API', description: 'JWT endpoint' });
      const claimed = await ctx.store.claimTask('agent-1');
      expect(claimed?.id).toBe(task.id);
      ctx.clock.advance(10);
      const started = await ctx.store.updateTask(task.id, { status: IN_PROGRESS });
      expect(started).toMatchObject({ status: IN_PROGRESS, assignedAgent: 'agent-1', startedAt: START });
      expect(started?.completedAt).toBeUndefined();
      ctx.clock.advance(10);
      const done = await ctx.store.updateTask(task.id, { status: COMPLETED, result: 'Implemented' });
      expect(done).toMatchObject({
        status: COMPLETED,
        result: 'Implemented',
        startedAt: START,
        completedAt: START + 20,
      });
      expect(await mustGet(ctx.store, task.id)).toEqual(done);
    });

    it('sets completedAt on COMPLETED and FAILED but not on CANCELLED', async () => {
      for (const to of [COMPLETED, FAILED, CANCELLED]) {
        const task = await createIn(ctx, IN_PROGRESS);
        ctx.clock.advance(1_000);
        await ctx.store.updateTask(task.id, { status: to });
        const finished = await mustGet(ctx.store, task.id);
        expect(finished.completedAt).toBe(to === CANCELLED ? undefined : ctx.clock.now());
      }
    });

    it('clears agent, start and finish times, result and error when a task goes back to PENDING', async () => {
      for (const from of [CLAIMED, IN_PROGRESS]) {
        const task = await createIn(ctx, from);
        await ctx.store.updateTask(task.id, { result: 'partial', error: 'flaky', metadata: { attempts: 1 } });
        ctx.clock.advance(1);
        await ctx.store.updateTask(task.id, { status: PENDING });
        const back = await mustGet(ctx.store, task.id);
        expect(back).toMatchObject({ status: PENDING, updatedAt: ctx.clock.now(), metadata: { attempts: 1 } });
        for (const stale of ['assignedAgent', 'startedAt', 'completedAt', 'result', 'error'] as const) {
          expect(back[stale], stale).toBeUndefined();
        }
      }
    });

    it('refuses to send a task back to PENDING with an agent, writing nothing', async () => {
      const task = await createIn(ctx, IN_PROGRESS);
      ctx.clock.advance(1);
      await expectOmcError(
        () => ctx.store.updateTask(task.id, { status: PENDING, assignedAgent: 'agent-2' }),
        'OMC_INVALID_INPUT',
      );
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });

    it('refuses an agent, result or error on a task that stays PENDING, writing nothing', async () => {
      const task = await createIn(ctx, PENDING);
      for (const update of [{ assignedAgent: 'agent-1' }, { result: 'early' }, { error: 'early' }]) {
        await expectOmcError(() => ctx.store.updateTask(task.id, update), 'OMC_INVALID_INPUT');
      }
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });

    it('refuses to claim through updateTask without an agent, writing nothing', async () => {
      const task = await createIn(ctx, PENDING);
      await expectOmcError(() => ctx.store.updateTask(task.id, { status: CLAIMED }), 'OMC_INVALID_INPUT');
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });

    it('bumps updatedAt on every accepted update, and only then', async () => {
      const task = await ctx.store.createTask({ title: 't', description: 'd' });
      const updates: UpdateTaskInput[] = [
        { metadata: { step: 1 } },
        { status: CLAIMED, assignedAgent: 'agent-1' },
        { assignedAgent: 'agent-2' },
        { status: IN_PROGRESS },
        { result: 'so far so good' },
        { status: COMPLETED, result: 'done' },
        { metadata: { step: 2 } },
      ];
      for (const update of updates) {
        ctx.clock.advance(7);
        expect((await ctx.store.updateTask(task.id, update))?.updatedAt).toBe(ctx.clock.now());
      }
      const last = await mustGet(ctx.store, task.id);
      expect(last).toMatchObject({ createdAt: START, updatedAt: START + 49, assignedAgent: 'agent-2', result: 'done' });
      await expectRefusedTransition(ctx, last, { status: FAILED }, FAILED);
    });
  });
}
