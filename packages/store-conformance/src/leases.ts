import {
  DEFAULT_LEASE_POLICY,
  type LeaseLossReason,
  type Task,
  type TaskLease,
  TaskStatus,
  type TaskStore,
} from '@omc/core';
import { describe, expect, it } from 'vitest';
import {
  expectLeaseLost,
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
import type { ConformanceTarget } from './target.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

/** @internal The store's lease length in these tests: short and round, unlike the 5-minute default. */
export const LEASE_MS = 30_000;

/** @internal The writes a holder makes with its lease; each must be fenced. */
export const FENCED_WRITES: readonly (readonly [
  name: string,
  write: (store: TaskStore, lease: TaskLease) => unknown,
])[] = [
  ['startTask', (store, lease) => store.startTask(lease)],
  ['heartbeat', (store, lease) => store.heartbeat(lease)],
  ['completeTask', (store, lease) => store.completeTask(lease, 'late result')],
  ['failTask', (store, lease) => store.failTask(lease, 'late error')],
  ['releaseTask', (store, lease) => store.releaseTask(lease)],
];

/** @internal A way for a holder to lose its lease: what it is left holding, and the refusal it must get. */
export interface LostLease {
  lease: TaskLease;
  reason: LeaseLossReason;
  /** The task's status when the write is refused (`undefined`: deleted). */
  status: TaskStatus | undefined;
}

/**
 * @internal Every way a holder loses its lease, on a store created with `leaseMs: LEASE_MS`. Each creates
 * and claims its own MEDIUM task.
 */
export const LOSSES: readonly (readonly [name: string, lose: (ctx: StoreContext) => Promise<LostLease>])[] = [
  [
    'its lease ran out without a heartbeat (not yet reclaimed)',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS);
      return { lease, reason: 'expired', status: CLAIMED };
    },
  ],
  [
    'its attempt reached timeoutMs (not yet reclaimed)',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1, { timeoutMs: 5_000 }));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.startTask(lease);
      ctx.clock.advance(5_000);
      return { lease, reason: 'timed_out', status: IN_PROGRESS };
    },
  ],
  [
    'the task was cancelled',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.cancelTask(lease.id, { reason: 'no longer needed' });
      return { lease, reason: 'cancelled', status: CANCELLED };
    },
  ],
  [
    'another agent claimed the task after the lease expired',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS);
      expect((await mustClaim(ctx.store, 'agent-B')).id).toBe(lease.id);
      return { lease, reason: 'superseded', status: CLAIMED };
    },
  ],
  [
    'its expired lease was reclaimed',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 1, failed: 0 });
      return { lease, reason: 'requeued', status: PENDING };
    },
  ],
  [
    'it released the task',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.releaseTask(lease);
      return { lease, reason: 'requeued', status: PENDING };
    },
  ],
  [
    'it completed the task already',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.completeTask(lease, 'first result');
      return { lease, reason: 'finished', status: COMPLETED };
    },
  ],
  [
    'it failed the task for good already',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.failTask(lease, 'fatal', { retry: false });
      return { lease, reason: 'finished', status: FAILED };
    },
  ],
  [
    'an operator completed the task through updateTask',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.updateTask(lease.id, { status: COMPLETED, result: 'by hand' });
      return { lease, reason: 'finished', status: COMPLETED };
    },
  ],
  [
    'the task was deleted',
    async (ctx) => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.deleteTask(lease.id);
      return { lease, reason: 'deleted', status: undefined };
    },
  ],
];

/** Leases that are not one: each fenced write must refuse them as invalid input. */
const BAD_LEASES: readonly (readonly [name: string, build: (id: string) => unknown])[] = [
  ['null', () => null],
  ['the task id alone', (id) => id],
  ['no leaseToken', (id) => ({ id })],
  ['leaseToken 0', (id) => ({ id, leaseToken: 0 })],
  ['leaseToken -1', (id) => ({ id, leaseToken: -1 })],
  ['leaseToken 1.5', (id) => ({ id, leaseToken: 1.5 })],
  ["leaseToken '1'", (id) => ({ id, leaseToken: '1' })],
  ['an empty id', () => ({ id: '', leaseToken: 1 })],
];

/** @internal Leases: their length, heartbeats, expiry and reclaiming, and fencing of every holder's write. */
export function describeLeases(target: ConformanceTarget): void {
  describe(`${target.name}: leases`, () => {
    const ctx = useStore(target, { leaseMs: LEASE_MS });

    it('gives every claim an attempt, a new fencing token and a lease of the store’s length', async () => {
      const created = await ctx.store.createTask(taskInput(1));
      ctx.clock.advance(5);
      const claimed = await mustClaim(ctx.store, 'agent-A');
      expect(claimed).toMatchObject({
        id: created.id,
        attempts: 1,
        leaseToken: 1,
        leaseExpiresAt: START + 5 + LEASE_MS,
      });
      expect(await mustGet(ctx.store, created.id)).toEqual(claimed);
    });

    it('uses a task’s own leaseMs instead of the store’s', async () => {
      await ctx.store.createTask(taskInput(1, { leaseMs: 2_000 }));
      const claimed = await mustClaim(ctx.store, 'agent-A');
      expect(claimed).toMatchObject({ leaseMs: 2_000, leaseExpiresAt: START + 2_000 });
      ctx.clock.advance(1_000);
      expect(await ctx.store.heartbeat(claimed)).toEqual({ leaseExpiresAt: START + 3_000 });
    });

    it('extends the lease a full length from now on heartbeat, on a CLAIMED or IN_PROGRESS task', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(20_000);
      expect(await ctx.store.heartbeat(lease)).toEqual({ leaseExpiresAt: START + 20_000 + LEASE_MS });
      expect((await mustGet(ctx.store, task.id)).leaseExpiresAt).toBe(START + 20_000 + LEASE_MS);
      await ctx.store.startTask(lease);
      ctx.clock.advance(LEASE_MS - 1);
      expect(await ctx.store.heartbeat(lease)).toEqual({ leaseExpiresAt: START + 20_000 + 2 * LEASE_MS - 1 });
      expect(await mustGet(ctx.store, task.id)).toMatchObject({
        status: IN_PROGRESS,
        assignedAgent: 'agent-A',
        attempts: 1,
        leaseToken: 1,
        leaseExpiresAt: START + 20_000 + 2 * LEASE_MS - 1,
      });
    });

    it('keeps a task held for as long as heartbeats come in time', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      for (let i = 0; i < 10; i++) {
        ctx.clock.advance(LEASE_MS - 1);
        await ctx.store.heartbeat(lease);
        expect(await ctx.store.claimTask('agent-B')).toBeNull();
      }
      await ctx.store.completeTask(lease, 'done');
      expect(await mustGet(ctx.store, task.id)).toMatchObject({ status: COMPLETED, result: 'done', attempts: 1 });
    });

    it('accepts the claimed task itself or a plain { id, leaseToken } as the lease', async () => {
      const [first, second] = await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      const claimed = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.startTask(claimed);
      await mustClaim(ctx.store, 'agent-B');
      await ctx.store.startTask({ id: second?.id as string, leaseToken: 1 });
      expect((await mustGet(ctx.store, first?.id as string)).status).toBe(IN_PROGRESS);
      expect((await mustGet(ctx.store, second?.id as string)).status).toBe(IN_PROGRESS);
    });

    it('starts work: CLAIMED → IN_PROGRESS keeping the agent, start time and lease; starting twice changes nothing', async () => {
      await ctx.store.createTask(taskInput(1));
      const claimed = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(10);
      await ctx.store.startTask(claimed);
      const started = await mustGet(ctx.store, claimed.id);
      expect(started).toEqual({ ...claimed, status: IN_PROGRESS, updatedAt: START + 10 });
      ctx.clock.advance(10);
      await ctx.store.startTask(claimed);
      expect(await mustGet(ctx.store, claimed.id)).toEqual(started);
      expect((await ctx.store.getTaskHistory(claimed.id)).map((entry) => entry.to)).toEqual([CLAIMED, IN_PROGRESS]);
    });

    it('completes a held task: COMPLETED with its result, completedAt set, the lease gone', async () => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.startTask(lease);
      ctx.clock.advance(1_234);
      await ctx.store.completeTask(lease, 'all good');
      const done = await mustGet(ctx.store, lease.id);
      expect(done).toMatchObject({
        status: COMPLETED,
        result: 'all good',
        assignedAgent: 'agent-A',
        startedAt: START,
        completedAt: START + 1_234,
        updatedAt: START + 1_234,
        attempts: 1,
        leaseToken: 1,
      });
      expect(done.leaseExpiresAt).toBeUndefined();
      expect(done.error).toBeUndefined();
    });

    it('completes a CLAIMED task directly, with or without a result', async () => {
      await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      const first = await mustClaim(ctx.store, 'agent-A');
      const second = await mustClaim(ctx.store, 'agent-B');
      await ctx.store.completeTask(first, 'r');
      await ctx.store.completeTask(second);
      expect(await mustGet(ctx.store, first.id)).toMatchObject({ status: COMPLETED, result: 'r' });
      const bare = await mustGet(ctx.store, second.id);
      expect(bare.status).toBe(COMPLETED);
      expect(bare.result).toBeUndefined();
    });

    it('lets another agent claim a task the moment its lease runs out, without any maintenance call', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS - 1);
      expect(await ctx.store.claimTask('agent-B')).toBeNull();
      ctx.clock.advance(1);
      const again = await mustClaim(ctx.store, 'agent-B');
      expect(again).toMatchObject({
        id: task.id,
        status: CLAIMED,
        assignedAgent: 'agent-B',
        startedAt: START + LEASE_MS,
        attempts: 2,
        leaseToken: 2,
        leaseExpiresAt: START + 2 * LEASE_MS,
      });
      const [, expiry] = await ctx.store.getTaskHistory(task.id);
      expect(expiry).toMatchObject({ from: CLAIMED, to: PENDING, agent: 'agent-A', attempt: 1, at: START + LEASE_MS });
      expect(expiry?.reason).toContain('lease expired');
    });

    it('reclaims an expired lease before choosing, so the expired task competes in priority order', async () => {
      const low = await ctx.store.createTask(taskInput('low', { priority: 0 }));
      const high = await ctx.store.createTask(taskInput('high', { priority: 3 }));
      expect((await mustClaim(ctx.store, 'agent-A')).id).toBe(high.id);
      ctx.clock.advance(LEASE_MS);
      expect((await mustClaim(ctx.store, 'agent-B')).id).toBe(high.id);
      expect((await mustClaim(ctx.store, 'agent-C')).id).toBe(low.id);
    });

    it('refuses writes with a lease that ran out even before anyone reclaims it, changing nothing', async () => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS);
      const before = await snapshot(ctx.store, lease.id);
      for (const [, write] of FENCED_WRITES) {
        await expectLeaseLost(() => write(ctx.store, lease), lease.id, 'expired', CLAIMED);
      }
      expect(await snapshot(ctx.store, lease.id)).toEqual(before);
      // The refused writes left the expired lease for the sweep to find.
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 1, failed: 0 });
    });

    it('reclaimExpired requeues every expired task at once and reports how many', async () => {
      await ctx.store.createTasks([taskInput(1), taskInput(2), taskInput(3)]);
      const [a, b, c] = [
        await mustClaim(ctx.store, 'agent-A'),
        await mustClaim(ctx.store, 'agent-B'),
        await mustClaim(ctx.store, 'agent-C'),
      ];
      ctx.clock.advance(LEASE_MS / 2);
      await ctx.store.heartbeat(b);
      ctx.clock.advance(LEASE_MS / 2);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 2, failed: 0 });
      for (const lease of [a, c]) {
        const back = await mustGet(ctx.store, lease.id);
        expect(back).toMatchObject({ status: PENDING, attempts: 1, leaseToken: 1, updatedAt: START + LEASE_MS });
        for (const cleared of ['assignedAgent', 'startedAt', 'leaseExpiresAt', 'runAt', 'completedAt'] as const) {
          expect(back[cleared], cleared).toBeUndefined();
        }
        expect(back.error).toContain('lease expired');
      }
      expect(await mustGet(ctx.store, b.id)).toMatchObject({ status: CLAIMED, assignedAgent: 'agent-B' });
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 0, failed: 0 });
      expect(await ctx.store.getStats()).toMatchObject({ total: 3, pending: 2, claimed: 1 });
    });

    it('reclaimExpired fails a task whose last attempt’s lease expired', async () => {
      const task = await ctx.store.createTask(taskInput(1, { maxAttempts: 1 }));
      await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS + 5);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 0, failed: 1 });
      const failed = await mustGet(ctx.store, task.id);
      expect(failed).toMatchObject({ status: FAILED, attempts: 1, completedAt: START + LEASE_MS + 5 });
      expect(failed.error).toContain('lease expired');
      expect(failed.leaseExpiresAt).toBeUndefined();
      expect(await ctx.store.claimTask('agent-B')).toBeNull();
    });

    it('reclaimExpired leaves held, pending and finished tasks alone', async () => {
      await ctx.store.createTasks([taskInput(1), taskInput(2), taskInput(3)]);
      const done = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.completeTask(done, 'ok');
      const held = await mustClaim(ctx.store, 'agent-B');
      const before = await ctx.store.getTasks();
      ctx.clock.advance(LEASE_MS - 1);
      expect(await ctx.store.reclaimExpired()).toEqual({ requeued: 0, failed: 0 });
      expect(await ctx.store.getTasks()).toEqual(before);
      expect(held.leaseExpiresAt).toBe(START + LEASE_MS);
    });

    describe('refuses every fenced write, changing nothing, when', () => {
      for (const [name, lose] of LOSSES) {
        for (const [operation, write] of FENCED_WRITES) {
          it(`${name}: ${operation}`, async () => {
            const { lease, reason, status } = await lose(ctx);
            ctx.clock.advance(1);
            const before = await snapshot(ctx.store, lease.id);
            const stats = await ctx.store.getStats();
            await expectLeaseLost(() => write(ctx.store, lease), lease.id, reason, status);
            expect(await snapshot(ctx.store, lease.id)).toEqual(before);
            expect(await ctx.store.getStats()).toEqual(stats);
          });
        }
      }
    });

    it('keeps the new holder’s result when a stale holder completes late', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const stale = await mustClaim(ctx.store, 'agent-A');
      await ctx.store.startTask(stale);
      ctx.clock.advance(LEASE_MS);
      const fresh = await mustClaim(ctx.store, 'agent-B');
      expect(fresh).toMatchObject({ id: task.id, leaseToken: 2 });
      // A, unaware, still believes it holds the task: everything it writes is refused.
      await expectLeaseLost(() => ctx.store.heartbeat(stale), task.id, 'superseded', CLAIMED);
      await ctx.store.startTask(fresh);
      ctx.clock.advance(10);
      await ctx.store.completeTask(fresh, 'B result');
      const done = await mustGet(ctx.store, task.id);
      await expectLeaseLost(() => ctx.store.completeTask(stale, 'A result'), task.id, 'superseded', COMPLETED);
      await expectLeaseLost(() => ctx.store.failTask(stale, 'A failed'), task.id, 'superseded', COMPLETED);
      expect(await mustGet(ctx.store, task.id)).toEqual(done);
      expect(done).toMatchObject({ status: COMPLETED, result: 'B result', assignedAgent: 'agent-B', attempts: 2 });
      const history = await ctx.store.getTaskHistory(task.id);
      expect(history.map((entry) => [entry.from, entry.to, entry.agent])).toEqual([
        [PENDING, CLAIMED, 'agent-A'],
        [CLAIMED, IN_PROGRESS, 'agent-A'],
        [IN_PROGRESS, PENDING, 'agent-A'],
        [PENDING, CLAIMED, 'agent-B'],
        [CLAIMED, IN_PROGRESS, 'agent-B'],
        [IN_PROGRESS, COMPLETED, 'agent-B'],
      ]);
    });

    it('refuses a stale holder that writes before the new holder does, and lets the new holder finish', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const stale = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(LEASE_MS);
      const fresh = await mustClaim(ctx.store, 'agent-B');
      await expectLeaseLost(() => ctx.store.completeTask(stale, 'A result'), task.id, 'superseded', CLAIMED);
      expect(await mustGet(ctx.store, task.id)).toEqual(fresh);
      await ctx.store.completeTask(fresh, 'B result');
      expect(await mustGet(ctx.store, task.id)).toMatchObject({ status: COMPLETED, result: 'B result' });
    });

    it('writes a result exactly once, even when two completions race', async () => {
      await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent-A');
      ctx.clock.advance(10);
      const outcomes = await Promise.allSettled(
        ['first', 'second'].map(async (result) => {
          await ctx.store.completeTask(lease, result);
          return result;
        }),
      );
      const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]).toMatchObject({ code: 'OMC_LEASE_LOST', reason: 'finished', status: COMPLETED });
      const done = await mustGet(ctx.store, lease.id);
      expect(done).toMatchObject({ status: COMPLETED, result: winners[0], completedAt: START + 10 });
      ctx.clock.advance(10);
      await expectLeaseLost(() => ctx.store.completeTask(lease, 'third'), lease.id, 'finished', COMPLETED);
      expect(await mustGet(ctx.store, lease.id)).toEqual(done);
      expect((await ctx.store.getTaskHistory(lease.id)).filter((entry) => entry.to === COMPLETED)).toHaveLength(1);
    });

    it('ends the lease when an operator changes the status through updateTask', async () => {
      const created = await ctx.store.createTasks([taskInput(1), taskInput(2)]);
      const a = await mustClaim(ctx.store, 'agent-A');
      const b = await mustClaim(ctx.store, 'agent-B');
      expect(ids([a, b])).toEqual(ids(created));
      const completed = await ctx.store.updateTask(a.id, { status: COMPLETED, result: 'by hand' });
      expect(completed?.leaseExpiresAt).toBeUndefined();
      await expectLeaseLost(() => ctx.store.completeTask(a, 'by agent'), a.id, 'finished', COMPLETED);
      expect(await mustGet(ctx.store, a.id)).toMatchObject({ status: COMPLETED, result: 'by hand' });
      const requeued = await ctx.store.updateTask(b.id, { status: PENDING });
      expect(requeued?.leaseExpiresAt).toBeUndefined();
      await expectLeaseLost(() => ctx.store.heartbeat(b), b.id, 'requeued', PENDING);
      const again = await mustClaim(ctx.store, 'agent-C');
      expect(again).toMatchObject({ id: b.id, leaseToken: 2, attempts: 2 });
      await expectLeaseLost(() => ctx.store.heartbeat(b), b.id, 'superseded', CLAIMED);
    });

    it('gives an operator’s claim through updateTask a lease that expires like any other', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      ctx.clock.advance(7);
      const claimed = await ctx.store.updateTask(task.id, { status: CLAIMED, assignedAgent: 'operator' });
      expect(claimed).toMatchObject({ attempts: 1, leaseToken: 1, leaseExpiresAt: START + 7 + LEASE_MS });
      ctx.clock.advance(LEASE_MS);
      expect(await mustClaim(ctx.store, 'agent-B')).toMatchObject({ id: task.id, attempts: 2, leaseToken: 2 });
    });

    describe('refuses a malformed lease as invalid input, writing nothing:', () => {
      for (const [name, build] of BAD_LEASES) {
        it(name, async () => {
          await ctx.store.createTask(taskInput(1));
          const claimed = await mustClaim(ctx.store, 'agent-A');
          const before = await snapshot(ctx.store, claimed.id);
          for (const [, write] of FENCED_WRITES) {
            await expectRefusedInput(ctx, () => write(ctx.store, build(claimed.id) as TaskLease));
          }
          expect(await snapshot(ctx.store, claimed.id)).toEqual(before);
        });
      }
    });
  });

  describe(`${target.name}: leases with the default policy`, () => {
    const ctx = useStore(target);

    it('leases for 5 minutes', async () => {
      expect(DEFAULT_LEASE_POLICY.leaseMs).toBe(300_000);
      await ctx.store.createTask(taskInput(1));
      const claimed: Task = await mustClaim(ctx.store, 'agent-A');
      expect(claimed.leaseExpiresAt).toBe(START + 300_000);
      ctx.clock.advance(299_999);
      expect(await ctx.store.heartbeat(claimed)).toEqual({ leaseExpiresAt: START + 599_999 });
    });
  });
}
