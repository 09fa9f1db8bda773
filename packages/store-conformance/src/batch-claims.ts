import { DEFAULT_LEASE_POLICY, InvalidInputError, type Task, TaskPriority, TaskStatus } from '@omc/core';
import { expect, it } from 'vitest';
import {
  createIn,
  expectedOrder,
  expectRefusedInput,
  ids,
  mustClaim,
  mustGet,
  START,
  taskInput,
  useStore,
} from './harness.js';
import { describeNeeding, itNeeding } from './skips.js';
import type { ConformanceTarget } from './target.js';

const LEASE_MS = 30_000;

/** Limits `claimTasks` must refuse. */
const BAD_LIMITS: readonly unknown[] = [0, -1, 1.5, 1001, Number.NaN, Number.POSITIVE_INFINITY, '2', null, undefined];

/** @internal `claimTasks`: a batch claim is the claims `limit` single claims would make, in one step. */
export function describeBatchClaims(target: ConformanceTarget): void {
  describeNeeding(target, ['batchClaims'], `${target.name}: claimTasks`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    /** Twelve tasks of mixed priorities and ages, some in the same millisecond; their claim order. */
    async function seed(): Promise<Task[]> {
      const priorities = [1, 0, 3, 1, 2, 2, 0, 3, 1, 1, 2, 0] as TaskPriority[];
      const created: Task[] = [];
      for (const [i, priority] of priorities.entries()) {
        created.push(await ctx.store.createTask(taskInput(i, { priority })));
        if (i % 3 === 2) ctx.clock.advance(5);
      }
      return expectedOrder(created, new Map(created.map((task, i) => [task.id, i])));
    }

    it('claims in the order single claims would take them', async () => {
      const expected = await seed();
      const first = await ctx.store.claimTasks('agent-1', 5);
      const single = await ctx.store.claimTask('agent-1');
      const rest = await ctx.store.claimTasks('agent-1', 100);
      expect(ids([...first, single, ...rest])).toEqual(ids(expected));
      expect(first).toHaveLength(5);
      expect(await ctx.store.claimTasks('agent-1', 100)).toEqual([]);
    });

    it('claims each task exactly as claimTask does: its own attempt, fencing token and lease', async () => {
      // Claimed once and released: its next claim is its first attempt again, but its second token.
      const released = await ctx.store.createTask(taskInput('released'));
      await ctx.store.releaseTask(await mustClaim(ctx.store, 'agent-0'));
      await ctx.store.createTask(taskInput('plain', { metadata: { keep: true } }));
      await ctx.store.createTask(taskInput('short lease', { leaseMs: 10_000 }));
      await ctx.store.createTask(taskInput('timeout', { timeoutMs: 4_000 }));
      const before = await ctx.store.getTasks();
      ctx.clock.advance(250);
      const now = START + 250;
      const claimed = await ctx.store.claimTasks('agent-batch', 10);
      expect(ids(claimed)).toEqual(ids(before));
      for (const task of claimed) {
        const was = before.find((candidate) => candidate.id === task.id) as Task;
        const leaseMs = was.leaseMs ?? LEASE_MS;
        expect(task).toEqual({
          ...was,
          status: TaskStatus.CLAIMED,
          assignedAgent: 'agent-batch',
          startedAt: now,
          updatedAt: now,
          attempts: was.attempts + 1,
          leaseToken: was.leaseToken + 1,
          leaseExpiresAt: now + Math.min(leaseMs, was.timeoutMs ?? leaseMs),
        });
        expect(await mustGet(ctx.store, task.id)).toEqual(task);
      }
      expect((await mustGet(ctx.store, released.id)).leaseToken).toBe(2);
      // Each lease is the holder's own: one completes, one fails, one heartbeats, independently.
      const [a, b, c] = claimed as [Task, Task, Task];
      await ctx.store.completeTask(a, 'done');
      await ctx.store.failTask(b, 'broke', { retry: false });
      await ctx.store.heartbeat(c);
      expect((await mustGet(ctx.store, a.id)).status).toBe(TaskStatus.COMPLETED);
      expect((await mustGet(ctx.store, b.id)).status).toBe(TaskStatus.FAILED);
      expect((await mustGet(ctx.store, c.id)).status).toBe(TaskStatus.CLAIMED);
    });

    it('returns an empty array when nothing is claimable, writing nothing', async () => {
      expect(await ctx.store.claimTasks('agent-1', 10)).toEqual([]);
      await createIn(ctx, TaskStatus.CLAIMED);
      await createIn(ctx, TaskStatus.COMPLETED);
      await ctx.store.createTask(taskInput('later', { runAt: START + 60_000 }));
      const before = await ctx.store.getTasks();
      expect(await ctx.store.claimTasks('agent-1', 10)).toEqual([]);
      expect(await ctx.store.getTasks()).toEqual(before);
    });

    it('takes only due tasks, and delayed ones once due', async () => {
      const now = await ctx.store.createTask(taskInput('now'));
      const later = await ctx.store.createTask(
        taskInput('later', { runAt: START + 1_000, priority: TaskPriority.HIGH }),
      );
      expect(ids(await ctx.store.claimTasks('agent-1', 10))).toEqual([now.id]);
      ctx.clock.advance(1_000);
      const [claimed] = await ctx.store.claimTasks('agent-1', 10);
      expect(claimed).toMatchObject({ id: later.id, status: TaskStatus.CLAIMED, runAt: undefined });
    });

    it('reclaims expired leases first, then claims them again with a new attempt and token', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS);
      const [again] = await ctx.store.claimTasks('agent-B', 5);
      expect(again).toMatchObject({ id: task.id, assignedAgent: 'agent-B', attempts: 2, leaseToken: 2 });
    });

    it('accepts the limits 1 and 1000', async () => {
      await ctx.store.createTasks(Array.from({ length: 3 }, (_, i) => taskInput(i)));
      expect(await ctx.store.claimTasks('agent-1', 1)).toHaveLength(1);
      expect(await ctx.store.claimTasks('agent-1', 1000)).toHaveLength(2);
    });

    it('claims at most limit tasks', async () => {
      await ctx.store.createTasks(Array.from({ length: 30 }, (_, i) => taskInput(i)));
      expect(await ctx.store.claimTasks('agent-1', 7)).toHaveLength(7);
      expect((await ctx.store.getStats()).claimed).toBe(7);
    });

    for (const limit of BAD_LIMITS) {
      it(`refuses limit ${typeof limit === 'string' ? `'${limit}'` : String(limit)} and claims nothing`, async () => {
        await ctx.store.createTasks([taskInput(1), taskInput(2)]);
        const before = await ctx.store.getTasks();
        const error = await expectRefusedInput(ctx, () => ctx.store.claimTasks('agent-1', limit as number));
        expect(InvalidInputError.isInstance(error) && error.field).toBe('limit');
        expect(await ctx.store.getTasks()).toEqual(before);
      });
    }

    it('refuses an empty agent name and claims nothing', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      for (const agent of ['', '  ', 7]) {
        await expectRefusedInput(ctx, () => ctx.store.claimTasks(agent as string, 5));
      }
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });

    itNeeding(
      target,
      ['capabilityRouting'],
      'takes only tasks within the given capabilities, in claim order',
      async () => {
        const none = await ctx.store.createTask(taskInput('none'));
        await ctx.store.createTask(taskInput('gpu', { requires: ['gpu'], priority: TaskPriority.CRITICAL }));
        const code = await ctx.store.createTask(taskInput('code', { requires: ['code'], priority: TaskPriority.HIGH }));
        await ctx.store.createTask(taskInput('code+test', { requires: ['code', 'test'] }));
        const claimed = await ctx.store.claimTasks('coder', 10, { capabilities: ['code'] });
        expect(ids(claimed)).toEqual([code.id, none.id]);
        expect((await ctx.store.getStats()).pending).toBe(2);
      },
    );

    it('never hands out a task twice across interleaved batch and single claims', async () => {
      await ctx.store.createTasks(
        Array.from({ length: 60 }, (_, i) => taskInput(i, { priority: (i % 4) as TaskPriority })),
      );
      const claimed: Task[] = [];
      for (let round = 0; round < 60; round++) {
        const batch =
          round % 2 === 0
            ? await ctx.store.claimTasks(`agent-${round % 3}`, 1 + (round % 5))
            : [await ctx.store.claimTask(`agent-${round % 3}`)].filter((task): task is Task => task !== null);
        claimed.push(...batch);
      }
      expect(claimed).toHaveLength(60);
      expect(new Set(ids(claimed)).size).toBe(60);
      expect((await ctx.store.getStats()).claimed).toBe(60);
    });

    it('gives concurrent batch and single claims disjoint tasks', async () => {
      await ctx.store.createTasks(Array.from({ length: 40 }, (_, i) => taskInput(i)));
      // Issued together: an async store must still hand each task to exactly one caller.
      const results = await Promise.all([
        ctx.store.claimTasks('agent-A', 15),
        ctx.store.claimTask('agent-B'),
        ctx.store.claimTasks('agent-C', 15),
        ctx.store.claimTask('agent-D'),
        ctx.store.claimTasks('agent-E', 15),
      ]);
      const claimed = results.flatMap((result) => (Array.isArray(result) ? result : result ? [result] : []));
      expect(claimed).toHaveLength(40);
      expect(new Set(ids(claimed)).size).toBe(40);
      for (const task of claimed) {
        expect((await mustGet(ctx.store, task.id)).assignedAgent).toBe(task.assignedAgent);
      }
    });

    it('uses the store’s default lease when the task has none', async () => {
      const [task] = await ctx.store.createTasks([taskInput(1)]);
      const [claimed] = await ctx.store.claimTasks('agent-1', 1);
      expect(claimed).toMatchObject({ id: task?.id, leaseExpiresAt: START + LEASE_MS });
      expect(LEASE_MS).not.toBe(DEFAULT_LEASE_POLICY.leaseMs);
    });
  });
}
