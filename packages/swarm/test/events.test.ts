import { TaskStatus } from '@omc/core';
import { describe, expect, it, vi } from 'vitest';
import { Swarm, type SwarmEvent } from '../src/index.js';
import { agent, memoryStore, noop, record, taskTrail } from './helpers.js';

describe('events', () => {
  it('reports each task in order: claimed, started, then its outcome', async () => {
    const store = memoryStore({ backoff: { baseMs: 1, maxMs: 1 }, maxAttempts: 2 });
    const ok = store.createTask({ title: 'ok', description: 'ok' });
    const flaky = store.createTask({ title: 'flaky', description: 'flaky' });
    const broken = store.createTask({ title: 'broken', description: 'broken' });
    const swarm = new Swarm(store);
    swarm.registerAgent(
      agent('w', (task, ctx) => {
        if (task.description === 'broken') throw new Error('always');
        if (task.description === 'flaky' && ctx.attempt === 1) throw new Error('once');
        return 'fine';
      }),
    );
    const events = record(swarm);
    await swarm.start({ stopWhenEmpty: true, pollInterval: 5 });
    expect(taskTrail(events, ok.id)).toEqual(['task:claimed', 'task:started', 'task:completed']);
    expect(taskTrail(events, flaky.id)).toEqual([
      'task:claimed',
      'task:started',
      'task:retried',
      'task:claimed',
      'task:started',
      'task:completed',
    ]);
    expect(taskTrail(events, broken.id)).toEqual([
      'task:claimed',
      'task:started',
      'task:retried',
      'task:claimed',
      'task:started',
      'task:failed',
    ]);
    const retried = events.find((e) => e.type === 'task:retried');
    expect(retried).toMatchObject({ worker: 'w-1', error: expect.any(String), runAt: expect.any(Number) });
    expect(events.filter((e) => e.type === 'agent:idle').map((e) => (e as { worker: string }).worker)).toContain('w-1');
    expect(events.map((e) => e.type).slice(-2)).toEqual(['swarm:drained', 'swarm:stopped']);
    const completed = events.find((e) => e.type === 'task:completed' && e.task.id === ok.id);
    expect(completed).toMatchObject({ worker: 'w-1', result: 'fine', durationMs: expect.any(Number) });
  });

  it('sends task:completed only once the completion is durable', async () => {
    const store = memoryStore();
    for (let i = 0; i < 20; i++) store.createTask({ title: `t${i}`, description: 'x' });
    const swarm = new Swarm(store);
    swarm.registerAgent(noop());
    swarm.registerAgent(noop());
    const seen: string[] = [];
    swarm.on('task:completed', (e) => {
      seen.push(store.getTask(e.task.id)?.status ?? 'missing');
    });
    await swarm.start({ stopWhenEmpty: true });
    expect(seen).toHaveLength(20);
    expect(new Set(seen)).toEqual(new Set([TaskStatus.COMPLETED]));
  });

  it('survives a listener that throws', async () => {
    const store = memoryStore();
    store.createTask({ title: 't', description: 'x' });
    const warnings: string[] = [];
    const swarm = new Swarm(store, { logger: { info() {}, warn: (m) => warnings.push(m) } });
    swarm.registerAgent(noop());
    swarm.on('task:completed', () => {
      throw new Error('listener bug');
    });
    const off = swarm.on('task:completed', () => {});
    off();
    expect((await swarm.start({ stopWhenEmpty: true })).completed).toBe(1);
    expect(warnings.join('\n')).toMatch(/task:completed event listener threw: listener bug/);
  });

  it('async iterator: keeps every event between next() calls and ends when the swarm stops', async () => {
    const store = memoryStore();
    for (let i = 0; i < 30; i++) store.createTask({ title: `t${i}`, description: 'x' });
    const swarm = new Swarm(store);
    swarm.registerAgent(noop());
    swarm.registerAgent(noop());
    const iterator = swarm.events();
    const listened = record(swarm);
    // Not read while the swarm runs: everything waits in the iterator's queue.
    await swarm.start({ stopWhenEmpty: true });
    const iterated: SwarmEvent[] = [];
    for await (const event of iterator) iterated.push(event);
    expect(iterated).toEqual(listened);
    expect(iterated.filter((e) => e.type === 'task:completed')).toHaveLength(30);
    expect(iterated.at(-1)?.type).toBe('swarm:stopped');
  });

  it('async iterator: a reader that awaits between events sees them all, and a signal ends it', async () => {
    const store = memoryStore();
    for (let i = 0; i < 10; i++) store.createTask({ title: `t${i}`, description: 'x' });
    const swarm = new Swarm(store);
    swarm.registerAgent(noop());
    const types: string[] = [];
    const reading = (async () => {
      for await (const event of swarm.events()) {
        types.push(event.type);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await swarm.start({ stopWhenEmpty: true });
    await reading;
    expect(types.filter((t) => t === 'task:completed')).toHaveLength(10);
    expect(types.at(-1)).toBe('swarm:stopped');

    const controller = new AbortController();
    const aborted = swarm.events({ signal: controller.signal });
    const next = aborted.next();
    controller.abort();
    expect(await next).toEqual({ value: undefined, done: true });
    const broken = swarm.events();
    await broken.return?.();
    expect(await broken.next()).toEqual({ value: undefined, done: true });
  });
});

describe('grouped writes and adaptive claiming', () => {
  it('completes fast tasks in groups, skipping their start writes, and grows the claim batch', async () => {
    const store = memoryStore();
    for (let i = 0; i < 200; i++) store.createTask({ title: `t${i}`, description: 'x' });
    const claims = vi.spyOn(store, 'claimTasks');
    const completes = vi.spyOn(store, 'completeTasks');
    const starts = vi.spyOn(store, 'startTasks');
    const swarm = new Swarm(store, { prefetch: 32 });
    swarm.registerAgent(noop());
    const summary = await swarm.start({ stopWhenEmpty: true });
    expect(summary.completed).toBe(200);
    const limits = claims.mock.calls.map((call) => call[1]);
    expect(limits.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(Math.max(...limits)).toBe(32);
    const completions = completes.mock.calls.reduce((n, call) => n + call[0].length, 0);
    expect(completions).toBe(200);
    expect(completes.mock.calls.length).toBeLessThan(20);
    // No-op tasks finish before their start is flushed: completed straight from CLAIMED.
    expect(starts).not.toHaveBeenCalled();
    expect(claims.mock.calls[0]?.[2]).toEqual({ capabilities: [] });
  });

  it('claims one at a time for slow tasks and hands back what it claimed ahead', async () => {
    const store = memoryStore();
    for (let i = 0; i < 12; i++) store.createTask({ title: `fast ${i}`, description: 'fast', priority: 2 });
    for (let i = 0; i < 6; i++) store.createTask({ title: `slow ${i}`, description: 'slow', priority: 1 });
    const claims = vi.spyOn(store, 'claimTasks');
    const swarm = new Swarm(store, { prefetch: 8 });
    const slowOnes: string[] = [];
    const worker = agent('w', async (task, ctx) => {
      if (task.description === 'fast') return 'ok';
      slowOnes.push(ctx.workerName);
      await new Promise((resolve) => setTimeout(resolve, 40));
      return 'slow ok';
    });
    swarm.registerAgent(worker);
    const releases: string[] = [];
    swarm.on('task:released', (e) => releases.push(e.reason));
    const run = swarm.start({ stopWhenEmpty: true });
    // A second worker joins once the first is busy with slow work: it gets the handed-back tasks.
    await new Promise<void>((resolve) => {
      const off = swarm.on('task:started', (e) => {
        if (e.task.description === 'slow') {
          off();
          resolve();
        }
      });
    });
    swarm.registerAgent(worker);
    const summary = await run;
    expect(summary.completed).toBe(18);
    expect(releases.length).toBeGreaterThan(0);
    expect(releases[0]).toMatch(/busy with a slow task/);
    expect(new Set(slowOnes)).toEqual(new Set(['w-1', 'w-2']));
    // After a slow task the batch is back to one.
    const w1 = claims.mock.calls.filter((call) => call[0] === 'w-1').map((call) => call[1]);
    expect(w1.at(-1)).toBe(1);
  });
});
