import {
  LeaseLostError,
  type LeaseWriteOutcome,
  type Task,
  type TaskCompletion,
  type TaskLease,
  TaskPriority,
  TaskStatus,
} from '@omc/core';
import { expect, it } from 'vitest';
import {
  expectRefusedInput,
  mustClaim,
  mustGet,
  START,
  type StoreContext,
  snapshot,
  taskInput,
  useStore,
} from './harness.js';
import { LEASE_MS, LOSSES } from './leases.js';
import { describeNeeding } from './skips.js';
import type { ConformanceTarget } from './target.js';

const { CLAIMED, IN_PROGRESS, COMPLETED } = TaskStatus;

/** The two grouped writes, each as a call taking plain leases (completions get a result per task). */
const GROUPED: readonly (readonly [
  name: 'startTasks' | 'completeTasks',
  write: (ctx: StoreContext, leases: readonly TaskLease[]) => unknown,
  written: TaskStatus,
])[] = [
  ['startTasks', (ctx, leases) => ctx.store.startTasks(leases), IN_PROGRESS],
  [
    'completeTasks',
    (ctx, leases) => ctx.store.completeTasks(leases.map((lease) => ({ lease, result: 'a result' }))),
    COMPLETED,
  ],
];

/** Malformed groups: refused as a whole with OMC_INVALID_INPUT, writing nothing. */
const BAD_LEASE_ITEMS: readonly (readonly [name: string, build: (held: Task) => unknown])[] = [
  ['a lease without a token', (held) => ({ id: held.id })],
  ['leaseToken 0', (held) => ({ id: held.id, leaseToken: 0 })],
  ['null', () => null],
  ['a bare id', (held) => held.id],
];

/**
 * Claim `count` new CRITICAL tasks, so they come before anything else pending, with leases long enough to
 * outlive the clock moves of a lease-loss setup.
 */
async function holdTasks(ctx: StoreContext, count: number, agent = 'agent-1'): Promise<Task[]> {
  const held: Task[] = [];
  for (let i = 0; i < count; i++) {
    const input = taskInput(`held ${i}`, { priority: TaskPriority.CRITICAL, leaseMs: 10 * LEASE_MS });
    const task = await ctx.store.createTask(input);
    const claimed = await mustClaim(ctx.store, agent);
    expect(claimed.id).toBe(task.id);
    held.push(claimed);
  }
  return held;
}

function expectOk(outcome: LeaseWriteOutcome | undefined, id: string): void {
  expect(outcome).toEqual({ id, ok: true });
}

/** @internal `startTasks` and `completeTasks`: many fenced writes at once, each fenced on its own. */
export function describeGroupedWrites(target: ConformanceTarget): void {
  describeNeeding(target, ['groupedWrites'], `${target.name}: startTasks and completeTasks`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    it('startTasks starts every held task, with outcomes in input order', async () => {
      const [a, b, c] = (await holdTasks(ctx, 3)) as [Task, Task, Task];
      ctx.clock.advance(10);
      const outcomes = await ctx.store.startTasks([c, a, b]);
      expect(outcomes).toEqual([c, a, b].map((task) => ({ id: task.id, ok: true })));
      for (const task of [a, b, c]) {
        const stored = await mustGet(ctx.store, task.id);
        expect(stored).toEqual({ ...task, status: IN_PROGRESS, updatedAt: START + 10 });
        expect((await ctx.store.getTaskHistory(task.id)).map((entry) => entry.to)).toEqual([CLAIMED, IN_PROGRESS]);
      }
    });

    it('startTasks leaves a task already IN_PROGRESS as it is, and reports it ok', async () => {
      const [a] = (await holdTasks(ctx, 1)) as [Task];
      await ctx.store.startTask(a);
      const before = await snapshot(ctx.store, a.id);
      ctx.clock.advance(10);
      expect(await ctx.store.startTasks([a])).toEqual([{ id: a.id, ok: true }]);
      expect(await snapshot(ctx.store, a.id)).toEqual(before);
    });

    it('completeTasks completes every held task with its own result, outcomes in input order', async () => {
      const held = await holdTasks(ctx, 4);
      await ctx.store.startTask(held[1] as Task);
      ctx.clock.advance(100);
      const completions: TaskCompletion[] = held.map((lease, i) => (i === 3 ? { lease } : { lease, result: `r${i}` }));
      const outcomes = await ctx.store.completeTasks([...completions].reverse());
      expect(outcomes).toEqual([...held].reverse().map((task) => ({ id: task.id, ok: true })));
      for (const [i, task] of held.entries()) {
        expect(await mustGet(ctx.store, task.id)).toMatchObject({
          status: COMPLETED,
          result: i === 3 ? undefined : `r${i}`,
          completedAt: START + 100,
          leaseExpiresAt: undefined,
        });
      }
      expect((await ctx.store.getStats()).completed).toBe(4);
    });

    for (const [name, write] of GROUPED) {
      it(`${name} accepts an empty group and writes nothing`, async () => {
        await holdTasks(ctx, 2);
        const before = await ctx.store.getTasks();
        expect(await write(ctx, [])).toEqual([]);
        expect(await ctx.store.getTasks()).toEqual(before);
      });

      for (const [loss, lose] of LOSSES) {
        it(`${name} reports a lease lost because ${loss} in its outcome, writes the others and leaves it unchanged`, async () => {
          const [before, after] = await holdTasks(ctx, 2, 'agent-B');
          const lost = await lose(ctx);
          const untouched = await snapshot(ctx.store, lost.lease.id);
          const outcomes = (await write(ctx, [before as Task, lost.lease, after as Task])) as LeaseWriteOutcome[];
          expect(outcomes).toHaveLength(3);
          expectOk(outcomes[0], (before as Task).id);
          expectOk(outcomes[2], (after as Task).id);
          const refused = outcomes[1];
          expect(refused).toMatchObject({ id: lost.lease.id, ok: false });
          const error = refused?.ok === false ? refused.error : undefined;
          expect(LeaseLostError.isInstance(error)).toBe(true);
          expect(error).toMatchObject({ code: 'OMC_LEASE_LOST', taskId: lost.lease.id, reason: lost.reason });
          expect(error?.status).toBe(lost.status);
          expect(await snapshot(ctx.store, lost.lease.id)).toEqual(untouched);
          for (const task of [before, after] as Task[]) {
            expect((await mustGet(ctx.store, task.id)).status).toBe(GROUPED.find(([n]) => n === name)?.[2]);
          }
        });
      }

      for (const [bad, build] of BAD_LEASE_ITEMS) {
        it(`${name} refuses a group containing ${bad} as invalid input, writing nothing`, async () => {
          const held = (await holdTasks(ctx, 2)) as [Task, Task];
          const before = await ctx.store.getTasks();
          await expectRefusedInput(ctx, () => write(ctx, [held[0], build(held[1]) as TaskLease]));
          expect(await ctx.store.getTasks()).toEqual(before);
        });
      }

      it(`${name} refuses something that is not an array`, async () => {
        const [held] = (await holdTasks(ctx, 1)) as [Task];
        const call =
          name === 'startTasks'
            ? () => ctx.store.startTasks(held as unknown as TaskLease[])
            : () => ctx.store.completeTasks({ lease: held } as unknown as TaskCompletion[]);
        await expectRefusedInput(ctx, call);
        expect((await mustGet(ctx.store, held.id)).status).toBe(CLAIMED);
      });
    }

    it('completeTasks refuses a non-string result as invalid input, writing nothing', async () => {
      const [a, b] = (await holdTasks(ctx, 2)) as [Task, Task];
      const before = await ctx.store.getTasks();
      await expectRefusedInput(ctx, () =>
        ctx.store.completeTasks([
          { lease: a, result: 'fine' },
          { lease: b, result: 42 as unknown as string },
        ]),
      );
      await expectRefusedInput(ctx, () => ctx.store.completeTasks([{ lease: a }, null as unknown as TaskCompletion]));
      expect(await ctx.store.getTasks()).toEqual(before);
    });

    it('completeTasks writes a result once: the same lease twice completes first and is refused second', async () => {
      const [a] = (await holdTasks(ctx, 1)) as [Task];
      const outcomes = await ctx.store.completeTasks([
        { lease: a, result: 'first' },
        { lease: a, result: 'second' },
      ]);
      expectOk(outcomes[0], a.id);
      expect(outcomes[1]).toMatchObject({ id: a.id, ok: false, error: { reason: 'finished' } });
      expect((await mustGet(ctx.store, a.id)).result).toBe('first');
    });

    it('completeTasks refuses a lease on a completed task and keeps its first result', async () => {
      const [a, b] = (await holdTasks(ctx, 2)) as [Task, Task];
      await ctx.store.completeTask(a, 'original');
      const outcomes = await ctx.store.completeTasks([
        { lease: a, result: 'overwrite' },
        { lease: b, result: 'b' },
      ]);
      expect(outcomes[0]).toMatchObject({ id: a.id, ok: false, error: { reason: 'finished' } });
      expectOk(outcomes[1], b.id);
      expect((await mustGet(ctx.store, a.id)).result).toBe('original');
      expect((await mustGet(ctx.store, b.id)).result).toBe('b');
    });

    it('completeTasks completes tasks claimed by different agents in one group', async () => {
      const [a] = (await holdTasks(ctx, 1, 'agent-A')) as [Task];
      const [b] = (await holdTasks(ctx, 1, 'agent-B')) as [Task];
      const outcomes = await ctx.store.completeTasks([{ lease: a }, { lease: b }]);
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect((await mustGet(ctx.store, a.id)).assignedAgent).toBe('agent-A');
      expect((await mustGet(ctx.store, b.id)).assignedAgent).toBe('agent-B');
    });

    it('startTasks then completeTasks record the same history as the single writes', async () => {
      const [a] = (await holdTasks(ctx, 1)) as [Task];
      await ctx.store.createTask(taskInput('single', { priority: TaskPriority.CRITICAL }));
      const single = await mustClaim(ctx.store, 'agent-1');
      await ctx.store.startTasks([a]);
      await ctx.store.startTask(single);
      await ctx.store.completeTasks([{ lease: a, result: 'x' }]);
      await ctx.store.completeTask(single, 'x');
      const shape = (entries: { from: string; to: string; agent?: string; attempt: number }[]) =>
        entries.map(({ from, to, agent, attempt }) => ({ from, to, agent, attempt }));
      expect(shape(await ctx.store.getTaskHistory(a.id))).toEqual(shape(await ctx.store.getTaskHistory(single.id)));
    });
  });
}
