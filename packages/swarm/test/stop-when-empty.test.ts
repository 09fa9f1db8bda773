import { TaskStatus } from '@omc/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Swarm } from '../src/index.js';
import { agent, fakeTime, memoryLogger, memoryStore, noop, record, sleep, until } from './helpers.js';

describe('stopWhenEmpty', () => {
  let time: ReturnType<typeof fakeTime> | undefined;
  afterEach(() => {
    time?.restore();
    time = undefined;
  });

  it('drains at once on an empty pool: swarm:drained, then swarm:stopped', async () => {
    const swarm = new Swarm(memoryStore());
    swarm.registerAgent(noop());
    const events = record(swarm);
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 });
    expect(summary.reason).toBe('drained');
    expect(events.map((e) => e.type).slice(-2)).toEqual(['swarm:drained', 'swarm:stopped']);
  });

  it('stays alive for a task delayed within the horizon, and runs it when due', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const later = store.createTask({ title: 'later', description: 'x', runAt: time.clock.now() + 3_000 });
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(noop());
    let summary: Awaited<ReturnType<Swarm['start']>> | undefined;
    const run = swarm.start({ stopWhenEmpty: true, pollInterval: 60_000, horizonMs: 5_000 }).then((s) => {
      summary = s;
    });
    await time.advance(2_000);
    expect(summary).toBeUndefined();
    expect(swarm.status().state).toBe('running');
    // Due at 3 000 ms: the swarm woke for it although the poll interval is a minute.
    await time.advance(1_500);
    await until(() => summary !== undefined, 'the drain');
    await run;
    expect(summary).toMatchObject({ reason: 'drained', completed: 1 });
    expect(store.getTask(later.id)?.status).toBe(TaskStatus.COMPLETED);
  });

  it('does not wait for a task delayed past the horizon (warns, leaves it pending)', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const now = store.createTask({ title: 'now', description: 'x' });
    const tomorrow = store.createTask({ title: 'tomorrow', description: 'x', runAt: time.clock.now() + 86_400_000 });
    const logger = memoryLogger();
    const swarm = new Swarm(store, { clock: time.clock, logger });
    swarm.registerAgent(noop());
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 });
    expect(summary).toMatchObject({ reason: 'drained', completed: 1 });
    expect(store.getTask(now.id)?.status).toBe(TaskStatus.COMPLETED);
    expect(store.getTask(tomorrow.id)?.status).toBe(TaskStatus.PENDING);
    expect(logger.lines.warn).toHaveLength(1);
    expect(logger.lines.warn[0]).toMatch(/1 pending task\(s\).*1 are delayed more than 5000 ms ahead/);
  });

  it('stays alive through a retry backoff inside the horizon', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock, backoff: { baseMs: 2_000, maxMs: 2_000 }, random: () => 0.5 });
    const task = store.createTask({ title: 'flaky', description: 'x' });
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(
      agent('w', (_t, ctx) => {
        if (ctx.attempt === 1) throw new Error('transient');
        return 'ok';
      }),
    );
    let summary: Awaited<ReturnType<Swarm['start']>> | undefined;
    const run = swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 }).then((s) => {
      summary = s;
    });
    await until(() => store.getTask(task.id)?.error === 'transient', 'the failed attempt');
    await time.advance(1_000);
    expect(summary).toBeUndefined();
    await time.advance(1_500);
    await until(() => summary !== undefined, 'the drain');
    await run;
    expect(summary).toMatchObject({ completed: 1, retried: 1 });
  });

  it('stays alive while another holder runs a task in the same store', async () => {
    const store = memoryStore();
    const held = store.createTask({ title: 'held elsewhere', description: 'x' });
    const claimed = store.claimTask('someone-else');
    expect(claimed?.id).toBe(held.id);
    const swarm = new Swarm(store);
    swarm.registerAgent(noop());
    const looked = vi.spyOn(store, 'getStats');
    let summary: Awaited<ReturnType<Swarm['start']>> | undefined;
    const run = swarm.start({ stopWhenEmpty: true, pollInterval: 5 }).then((s) => {
      summary = s;
    });
    // Several poll ticks looked at the pool and saw the claimed task.
    while (looked.mock.calls.length < 6) await sleep(5);
    expect(summary).toBeUndefined();
    // The other holder hands it back; this swarm picks it up, then drains.
    store.releaseTask(claimed!);
    await run;
    expect(summary).toMatchObject({ reason: 'drained', completed: 1 });
  });

  it('waits for dependants to become claimable and ignores those that never can', async () => {
    const store = memoryStore();
    const gpu = store.createTask({ title: 'gpu', description: 'x', requires: ['gpu'] });
    const afterGpu = store.createTask({ title: 'after gpu', description: 'x', dependsOn: [gpu.id] });
    const logger = memoryLogger();
    const swarm = new Swarm(store, { logger });
    swarm.registerAgent(noop());
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 });
    expect(summary.reason).toBe('drained');
    expect(store.getTask(afterGpu.id)?.status).toBe(TaskStatus.PENDING);
    expect(logger.lines.warn[0]).toMatch(/2 pending task\(s\).*1 require capabilities.*1 wait for dependencies/);
  });
});
