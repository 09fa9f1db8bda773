import { TaskStatus } from '@omc/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AttemptAbortedError, handleSignals, Swarm } from '../src/index.js';
import { agent, fakeTime, memoryStore, record, statuses, taskTrail, until } from './helpers.js';

describe('graceful shutdown', () => {
  let time: ReturnType<typeof fakeTime> | undefined;
  afterEach(() => {
    time?.restore();
    time = undefined;
  });

  it('lets running tasks finish within the grace period, then leaves nothing claimed', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    for (let i = 0; i < 3; i++) store.createTask({ title: `t${i}`, description: 'x' });
    const finishers: Array<() => void> = [];
    const swarm = new Swarm(store, { clock: time.clock, graceMs: 10_000 });
    const worker = agent('w', () => new Promise<string>((resolve) => finishers.push(() => resolve('finished'))));
    swarm.registerAgent(worker);
    swarm.registerAgent(worker);
    const run = swarm.start({ pollInterval: 1_000 });
    await until(() => finishers.length === 2, 'two running tasks');
    let stopped = false;
    const stopping = swarm.stop().then(() => {
      stopped = true;
    });
    await time.advance(2_000);
    expect(stopped).toBe(false);
    expect(swarm.status().state).toBe('stopping');
    for (const finish of finishers) finish();
    await stopping;
    expect((await run).completed).toBe(2);
    // The third task was never claimed: workers stopped claiming.
    expect(await statuses(store)).toEqual({ completed: 2, pending: 1 });
    expect(finishers).toHaveLength(2);
  });

  it('aborts a task that ignores the signal after the grace period and hands it back', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const task = store.createTask({ title: 'stubborn', description: 'x' });
    let signal: AbortSignal | undefined;
    const swarm = new Swarm(store, { clock: time.clock, graceMs: 5_000 });
    swarm.registerAgent(
      agent('w', (_t, ctx) => {
        signal = ctx.signal;
        return new Promise<string>(() => {}); // never settles, ignores the signal
      }),
    );
    const events = record(swarm);
    const run = swarm.start({ pollInterval: 1_000 });
    await until(() => store.getTask(task.id)?.status === TaskStatus.IN_PROGRESS, 'the start');
    let stopped = false;
    const stopping = swarm.stop().then(() => {
      stopped = true;
    });
    await time.advance(4_000);
    expect(stopped).toBe(false);
    expect(signal?.aborted).toBe(false);
    await time.advance(1_100);
    await stopping;
    expect(signal?.aborted).toBe(true);
    expect(AttemptAbortedError.isInstance(signal?.reason)).toBe(true);
    expect(signal?.reason).toMatchObject({ reason: 'shutdown', taskId: task.id });
    const summary = await run;
    expect(summary).toMatchObject({ reason: 'stopped', released: 1, completed: 0 });
    expect(store.getTask(task.id)).toMatchObject({ status: TaskStatus.PENDING, attempts: 0 });
    expect(taskTrail(events, task.id)).toEqual(['task:claimed', 'task:started', 'task:released']);
    expect(events.at(-1)).toMatchObject({ type: 'swarm:stopped', reason: 'stopped' });
  });

  it('stop({ graceMs: 0 }) interrupts at once; stop() is idempotent', async () => {
    const store = memoryStore();
    const task = store.createTask({ title: 'x', description: 'x' });
    const swarm = new Swarm(store);
    swarm.registerAgent(
      agent(
        'w',
        (_t, ctx) =>
          new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
      ),
    );
    const run = swarm.start();
    await until(() => store.getTask(task.id)?.status === TaskStatus.IN_PROGRESS, 'the start');
    const first = swarm.stop({ graceMs: 0 });
    const second = swarm.stop();
    await Promise.all([first, second]);
    await swarm.stop();
    expect((await run).released).toBe(1);
    expect(store.getTask(task.id)?.status).toBe(TaskStatus.PENDING);
  });

  it('hands back tasks claimed ahead but not started', async () => {
    const store = memoryStore();
    // Fast tasks first (the worker's batch grows), then tasks that block: some are claimed ahead.
    for (let i = 0; i < 20; i++) store.createTask({ title: `fast ${i}`, description: 'fast', priority: 3 });
    for (let i = 0; i < 40; i++) store.createTask({ title: `slow ${i}`, description: 'slow', priority: 1 });
    let blocked = 0;
    const swarm = new Swarm(store, { prefetch: 16 });
    swarm.registerAgent(
      agent('w', (task, ctx) => {
        if (task.description === 'fast') return 'ok';
        blocked++;
        return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      }),
    );
    const events = record(swarm);
    const claimedAhead = () => {
      const started = new Set(
        events.filter((e) => e.type === 'task:started').map((e) => (e as { task: { id: string } }).task.id),
      );
      return events.filter((e) => e.type === 'task:claimed' && !started.has(e.task.id)).length;
    };
    const run = swarm.start({ pollInterval: 60_000 });
    await until(() => blocked === 1, 'the first slow task');
    const ahead = claimedAhead();
    expect(ahead).toBeGreaterThan(0);
    await swarm.stop({ graceMs: 0 });
    const summary = await run;
    expect(summary.completed).toBe(20);
    expect(await statuses(store)).toEqual({ completed: 20, pending: 40 });
    for (const task of await store.getTasks({ status: TaskStatus.PENDING })) expect(task.attempts).toBe(0);
    expect(summary.released).toBe(summary.claimed - summary.completed);
    // Claimed ahead (and possibly handed back early as hoarded), plus the interrupted one.
    expect(summary.released).toBeGreaterThanOrEqual(1 + ahead);
  });

  it('handleSignals stops the swarm on the first signal, then removes itself', async () => {
    const store = memoryStore();
    const swarm = new Swarm(store);
    swarm.registerAgent(agent('w', () => 'ok'));
    const before = process.listenerCount('SIGUSR2');
    const onSignal = vi.fn();
    const dispose = handleSignals(swarm, { signals: ['SIGUSR2'], onSignal });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    const run = swarm.start({ pollInterval: 60_000 });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(onSignal).toHaveBeenCalledWith('SIGUSR2');
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    expect((await run).reason).toBe('stopped');
    dispose(); // harmless after the fact
  });
});
