import { LeaseLostError, TaskStatus } from '@omc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AttemptAbortedError, Swarm } from '../src/index.js';
import { agent, fakeTime, memoryStore, record, taskTrail, until } from './helpers.js';

describe('signals, heartbeats and timeouts (fake time)', () => {
  let time: ReturnType<typeof fakeTime>;
  afterEach(() => time?.restore());

  it('keeps a long task leased with heartbeats', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock, leaseMs: 3_000 });
    const task = store.createTask({ title: 'long', description: 'x' });
    let finish!: () => void;
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(agent('worker', () => new Promise<string>((resolve) => (finish = () => resolve('done')))));
    const events = record(swarm);
    const run = swarm.start({ pollInterval: 1_000 });
    await until(() => finish !== undefined, 'the agent to start');
    for (let elapsed = 0; elapsed < 30_000; elapsed += 1_000) {
      await time.advance(1_000);
      const now = time.clock.now();
      const stored = store.getTask(task.id);
      expect(stored?.status).toBe(TaskStatus.IN_PROGRESS);
      expect(stored?.leaseExpiresAt).toBeGreaterThan(now);
    }
    finish();
    await until(() => store.getTask(task.id)?.status === TaskStatus.COMPLETED, 'completion');
    await swarm.stop();
    expect((await run).leaseLost).toBe(0);
    expect(taskTrail(events, task.id)).toEqual(['task:claimed', 'task:started', 'task:completed']);
  });

  it('aborts the agent when its task is cancelled (seen at the next heartbeat)', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const task = store.createTask({ title: 'to cancel', description: 'x' });
    let signal: AbortSignal | undefined;
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(
      agent('worker', (_t, ctx) => {
        signal = ctx.signal;
        return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      }),
    );
    const events = record(swarm);
    const run = swarm.start({ pollInterval: 1_000 });
    await until(() => signal !== undefined, 'the agent to start');
    store.cancelTask(task.id, { reason: 'not needed' });
    expect(signal?.aborted).toBe(false);
    await time.advance(1_000);
    expect(signal?.aborted).toBe(true);
    expect(LeaseLostError.isInstance(signal?.reason)).toBe(true);
    expect(signal?.reason).toMatchObject({ reason: 'cancelled', taskId: task.id });
    expect(taskTrail(events, task.id)).toEqual(['task:claimed', 'task:started', 'task:lease-lost']);
    await swarm.stop();
    const summary = await run;
    expect(summary).toMatchObject({ leaseLost: 1, completed: 0, failed: 0 });
    expect(store.getTask(task.id)?.status).toBe(TaskStatus.CANCELLED);
  });

  it('gives an agent that reads its signal late (or from a spread context) the aborted signal', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const task = store.createTask({ title: 'late reader', description: 'x' });
    let step!: () => void;
    let seen: { aborted: boolean; reason: unknown; spread: boolean } | undefined;
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(
      agent('worker', async (_t, ctx) => {
        await new Promise<void>((resolve) => (step = resolve));
        const copy = { ...ctx };
        seen = { aborted: ctx.signal.aborted, reason: ctx.signal.reason, spread: copy.signal === ctx.signal };
        return 'ignored';
      }),
    );
    const run = swarm.start({ pollInterval: 1_000 });
    await until(() => step !== undefined, 'the agent to start');
    store.cancelTask(task.id);
    await time.advance(1_000);
    step();
    await until(() => seen !== undefined, 'the agent to look');
    expect(seen).toMatchObject({ aborted: true, reason: { reason: 'cancelled' }, spread: true });
    await swarm.stop();
    await run;
  });

  it('lets an agent heartbeat itself, and rejects once the lease is gone', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const task = store.createTask({ title: 'self', description: 'x' });
    const outcomes: string[] = [];
    let step!: () => void;
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(
      agent('worker', async (_t, ctx) => {
        await ctx.heartbeat();
        outcomes.push('first ok');
        await new Promise<void>((resolve) => (step = resolve));
        await ctx.heartbeat().catch((e: unknown) => outcomes.push(`second: ${(e as LeaseLostError).reason}`));
        return 'ignored';
      }),
    );
    const run = swarm.start({ pollInterval: 60_000 });
    await until(() => step !== undefined, 'the first heartbeat');
    store.cancelTask(task.id);
    step();
    await until(() => outcomes.length === 2, 'the second heartbeat');
    expect(outcomes).toEqual(['first ok', 'second: cancelled']);
    await swarm.stop();
    expect((await run).completed).toBe(0);
    expect(store.getTask(task.id)?.status).toBe(TaskStatus.CANCELLED);
  });

  it('aborts an attempt at its timeout; the store then retries it', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const task = store.createTask({ title: 'slow', description: 'x', timeoutMs: 5_000, maxAttempts: 2 });
    const reasons: unknown[] = [];
    const swarm = new Swarm(store, { clock: time.clock });
    swarm.registerAgent(
      agent('worker', (_t, ctx) => {
        if (ctx.attempt === 2) return 'second attempt is quick';
        return new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => {
            reasons.push(ctx.signal.reason);
            reject(ctx.signal.reason);
          }),
        );
      }),
    );
    const events = record(swarm);
    const run = swarm.start({ pollInterval: 1_000 });
    await until(() => store.getTask(task.id)?.status === TaskStatus.IN_PROGRESS, 'the start');
    await time.advance(4_900);
    expect(reasons).toEqual([]);
    await time.advance(200);
    expect(reasons).toHaveLength(1);
    expect(AttemptAbortedError.isInstance(reasons[0])).toBe(true);
    expect(reasons[0]).toMatchObject({ code: 'OMC_ATTEMPT_ABORTED', reason: 'timed_out', taskId: task.id });
    await until(() => store.getTask(task.id)?.status === TaskStatus.COMPLETED, 'the retry');
    await swarm.stop();
    const summary = await run;
    expect(summary).toMatchObject({ leaseLost: 1, reclaimed: 1, completed: 1 });
    expect(taskTrail(events, task.id)).toEqual([
      'task:claimed',
      'task:started',
      'task:lease-lost',
      'task:claimed',
      'task:started',
      'task:completed',
    ]);
    expect(events.find((e) => e.type === 'task:lease-lost')).toMatchObject({ error: { reason: 'timed_out' } });
    expect(store.getTask(task.id)).toMatchObject({ attempts: 2, result: 'second attempt is quick' });
  });

  it('refuses the result of an agent that ignored a cancellation (nothing written)', async () => {
    time = fakeTime();
    const store = memoryStore({ clock: time.clock });
    const task = store.createTask({ title: 'stubborn', description: 'x' });
    let finish!: () => void;
    const swarm = new Swarm(store, { clock: time.clock, graceMs: 60_000 });
    swarm.registerAgent(agent('worker', () => new Promise<string>((resolve) => (finish = () => resolve('late')))));
    const events = record(swarm);
    const run = swarm.start({ pollInterval: 60_000 });
    await until(() => finish !== undefined, 'the start');
    store.cancelTask(task.id);
    finish(); // returns before any heartbeat saw the cancellation: the completion write is refused
    await until(() => events.some((e) => e.type === 'task:lease-lost'), 'the refused write');
    await swarm.stop();
    expect(await run).toMatchObject({ completed: 0, leaseLost: 1 });
    expect(store.getTask(task.id)).toMatchObject({ status: TaskStatus.CANCELLED, result: undefined });
    expect(taskTrail(events, task.id)).toEqual(['task:claimed', 'task:started', 'task:lease-lost']);
  });
});
