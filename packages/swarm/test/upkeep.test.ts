import { TaskStatus } from '@omc/core';
import { FakeClock } from '@omc/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Swarm } from '../src/index.js';
import { agent, fakeTime, memoryLogger, memoryStore, noop, until } from './helpers.js';

describe('upkeep', () => {
  let time: ReturnType<typeof fakeTime> | undefined;
  afterEach(() => {
    time?.restore();
    time = undefined;
  });

  it('reclaims the expired lease of a crashed holder on its poll tick (task:reclaimed), then runs the task', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock, leaseMs: 5_000 });
    const task = store.createTask({ title: 'orphan', description: 'x' });
    store.claimTask('crashed-worker'); // never heartbeats again
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(noop());
    const reclaimed: Array<{ requeued: number; failed: number }> = [];
    swarm.on('task:reclaimed', (e) => reclaimed.push({ requeued: e.requeued, failed: e.failed }));
    const run = swarm.start({ pollInterval: 1_000 });
    await time.advance(6_000);
    await until(() => store.getTask(task.id)?.status === TaskStatus.COMPLETED, 'the orphan to be done');
    await swarm.stop();
    const summary = await run;
    expect(summary.completed).toBe(1);
    expect(store.getTask(task.id)?.assignedAgent).toBe('noop-1');
    // The poll tick reclaims before it wakes the workers to claim.
    expect(reclaimed).toEqual([{ requeued: 1, failed: 0 }]);
    expect(summary.reclaimed).toBe(1);
    expect(store.getTaskHistory(task.id).filter((h) => h.reason?.includes('lease expired'))).toHaveLength(1);
  });

  it('refreshes queueDepth on the poll tick', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    store.createTask({ title: 'gpu', description: 'x', requires: ['gpu'] });
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(noop());
    const run = swarm.start({ pollInterval: 1_000 });
    await until(() => swarm.stats().queueDepth.pending === 1, 'the first tick');
    store.createTask({ title: 'gpu 2', description: 'x', requires: ['gpu'] });
    expect(swarm.stats().queueDepth.pending).toBe(1); // cached until the next tick
    await time.advance(1_000);
    expect(swarm.stats().queueDepth.pending).toBe(2);
    await swarm.stop();
    await run;
  });

  it('reports the queue as it is at the end: nothing pending after every task finished', async () => {
    const store = memoryStore();
    for (let i = 0; i < 20; i++) store.createTask({ title: `t${i}`, description: 'x' });
    const swarm = new Swarm(store);
    swarm.registerAgent(noop());
    // A long poll interval: the only queue reading during the run is the first tick's, with all 20 pending.
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 });
    expect(summary.completed).toBe(20);
    expect(summary.queueDepth).toEqual({ pending: 0, claimed: 0, inProgress: 0 });
    expect(swarm.stats().queueDepth).toEqual({ pending: 0, claimed: 0, inProgress: 0 });
  });

  it("tags an agent's log lines with its worker and task", async () => {
    const store = memoryStore();
    const task = store.createTask({ title: 't', description: 'x' });
    const logger = memoryLogger();
    const swarm = new Swarm(store, { logger });
    swarm.registerAgent(
      agent('talker', (_t, ctx) => {
        ctx.log.info('thinking');
        ctx.log.warn('careful');
        return 'ok';
      }),
    );
    await swarm.start({ stopWhenEmpty: true });
    expect(logger.lines.info).toContain(`[talker-1 ${task.id}] thinking`);
    expect(logger.lines.warn).toContain(`[talker-1 ${task.id}] careful`);
  });

  it('does not spin when the store will not hand out a task the swarm thinks is due', async () => {
    // The swarm's clock runs 10 s ahead of the store's: to the swarm the delayed task is due now.
    const store = memoryStore();
    const ahead = new FakeClock(Date.now() + 10_000);
    const task = store.createTask({ title: 'later', description: 'x', runAt: Date.now() + 150 });
    const swarm = new Swarm(store, { clock: ahead });
    swarm.registerAgent(noop());
    const claims = vi.spyOn(store, 'claimTasks');
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 20 });
    expect(summary.completed).toBe(1);
    expect(store.getTask(task.id)?.status).toBe(TaskStatus.COMPLETED);
    // A few claims per poll tick over ~150 ms, not a busy loop.
    expect(claims.mock.calls.length).toBeLessThan(60);
  });
});
