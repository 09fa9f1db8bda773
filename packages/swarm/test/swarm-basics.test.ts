import { InvalidInputError, TaskPriority, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { Swarm, SwarmStateError } from '../src/index.js';
import { agent, memoryLogger, memoryStore, noop, sleep, statuses } from './helpers.js';

describe('registerAgent', () => {
  it('gives each registration its own worker, named per agent name', () => {
    const swarm = new Swarm(memoryStore());
    const executor = noop('executor');
    const names = [1, 2, 3, 4, 5].map(() => swarm.registerAgent(executor));
    expect(names).toEqual(['executor-1', 'executor-2', 'executor-3', 'executor-4', 'executor-5']);
    expect(swarm.registerAgent(noop('qa'))).toBe('qa-1');
    expect(swarm.status().workers.map((w) => [w.name, w.agent, w.state])).toEqual([
      ['executor-1', 'executor', 'idle'],
      ['executor-2', 'executor', 'idle'],
      ['executor-3', 'executor', 'idle'],
      ['executor-4', 'executor', 'idle'],
      ['executor-5', 'executor', 'idle'],
      ['qa-1', 'qa', 'idle'],
    ]);
  });

  it('refuses bad agents and capabilities with InvalidInputError', () => {
    const swarm = new Swarm(memoryStore());
    expect(() => swarm.registerAgent({ name: '', execute: async () => 'x' })).toThrow(InvalidInputError);
    expect(() => swarm.registerAgent({ name: 'a' } as never)).toThrow(InvalidInputError);
    expect(() => swarm.registerAgent({ name: 'a', capabilities: [''], execute: async () => 'x' })).toThrow(
      InvalidInputError,
    );
    expect(() => swarm.registerAgent({ name: 'a', capabilities: 'code' as never, execute: async () => 'x' })).toThrow(
      InvalidInputError,
    );
    expect(swarm.status().workers).toEqual([]);
  });

  it('normalises capabilities (sorted, once each)', () => {
    const swarm = new Swarm(memoryStore());
    swarm.registerAgent(noop('dev', ['test', 'code', 'test']));
    expect(swarm.status().workers[0]?.capabilities).toEqual(['code', 'test']);
  });
});

describe('construction and start', () => {
  it('refuses a store that is not a v3 TaskStore, and bad options', () => {
    expect(() => new Swarm({ specificationVersion: 'v2' } as never)).toThrow(InvalidInputError);
    expect(() => new Swarm(memoryStore(), { prefetch: 0 })).toThrow(InvalidInputError);
    expect(() => new Swarm(memoryStore(), { prefetch: 1001 })).toThrow(InvalidInputError);
    expect(() => new Swarm(memoryStore(), { graceMs: -1 })).toThrow(InvalidInputError);
    expect(() => new Swarm(memoryStore(), { logger: {} as never })).toThrow(InvalidInputError);
  });

  it('rejects start() with no agents, with bad options, and while running', async () => {
    const store = memoryStore();
    const swarm = new Swarm(store);
    await expect(swarm.start()).rejects.toThrow(SwarmStateError);
    await expect(swarm.start()).rejects.toMatchObject({ code: 'OMC_SWARM_STATE' });
    swarm.registerAgent(noop());
    for (const bad of [
      { maxConcurrency: 0 },
      { maxConcurrency: 1.5 },
      { pollInterval: 0 },
      { horizonMs: -1 },
      { stopWhenEmpty: 'yes' },
    ]) {
      await expect(swarm.start(bad as never), JSON.stringify(bad)).rejects.toThrow(InvalidInputError);
    }
    const running = swarm.start({ pollInterval: 10 });
    await expect(swarm.start()).rejects.toThrow(SwarmStateError);
    expect(swarm.status().state).toBe('running');
    await swarm.stop();
    expect((await running).reason).toBe('stopped');
    expect(swarm.status().state).toBe('stopped');
  });

  it('stop() before start() is a no-op, and a stopped swarm can start again', async () => {
    const store = memoryStore();
    const swarm = new Swarm(store);
    swarm.registerAgent(noop());
    await swarm.stop();
    expect(swarm.status().state).toBe('idle');
    store.createTask({ title: 'a', description: 'a' });
    expect((await swarm.start({ stopWhenEmpty: true })).completed).toBe(1);
    store.createTask({ title: 'b', description: 'b' });
    const second = await swarm.start({ stopWhenEmpty: true });
    expect(second.completed).toBe(1); // counters restart
    expect(await statuses(store)).toEqual({ completed: 2 });
  });
});

describe('workers', () => {
  it('five agents of one kind all work (each of 5 workers completes some of 50 tasks of 20 ms)', async () => {
    const store = memoryStore();
    for (let i = 0; i < 50; i++) store.createTask({ title: `Task ${i + 1}`, description: 'work' });
    const swarm = new Swarm(store);
    const executor = agent('executor', async () => {
      await sleep(20);
      return 'done';
    });
    for (let i = 0; i < 5; i++) swarm.registerAgent(executor);
    const summary = await swarm.start({ maxConcurrency: 5, pollInterval: 1000, stopWhenEmpty: true });
    expect(summary.reason).toBe('drained');
    expect(summary.completed).toBe(50);
    const perWorker = Object.entries(summary.perAgent).map(([name, s]) => [name, s.completed] as const);
    expect(perWorker.map(([name]) => name)).toEqual([
      'executor-1',
      'executor-2',
      'executor-3',
      'executor-4',
      'executor-5',
    ]);
    for (const [, completed] of perWorker) expect(completed).toBeGreaterThanOrEqual(1);
    expect(perWorker.reduce((sum, [, n]) => sum + n, 0)).toBe(50);
    // Each task shows the worker that did it.
    const agents = new Set((await store.getTasks()).map((t) => t.assignedAgent));
    expect(agents).toEqual(new Set(['executor-1', 'executor-2', 'executor-3', 'executor-4', 'executor-5']));
  });

  it('maxConcurrency caps running tasks across workers, and is reached', async () => {
    const store = memoryStore();
    for (let i = 0; i < 24; i++) store.createTask({ title: `t${i}`, description: 'work' });
    let running = 0;
    let peak = 0;
    const worker = agent('w', async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(5);
      running--;
      return 'ok';
    });
    const swarm = new Swarm(store);
    for (let i = 0; i < 6; i++) swarm.registerAgent(worker);
    const summary = await swarm.start({ maxConcurrency: 2, stopWhenEmpty: true });
    expect(summary.completed).toBe(24);
    expect(peak).toBe(2);
  });

  it('runs one task at a time per worker (default maxConcurrency: one per worker)', async () => {
    const store = memoryStore();
    for (let i = 0; i < 12; i++) store.createTask({ title: `t${i}`, description: 'work' });
    const busy = new Set<string>();
    let overlap = false;
    let peak = 0;
    const swarm = new Swarm(store);
    const a = agent('a', async (_task, ctx) => {
      if (busy.has(ctx.workerName)) overlap = true;
      busy.add(ctx.workerName);
      peak = Math.max(peak, busy.size);
      await sleep(3);
      busy.delete(ctx.workerName);
      return 'ok';
    });
    swarm.registerAgent(a);
    swarm.registerAgent(a);
    swarm.registerAgent(a);
    await swarm.start({ stopWhenEmpty: true });
    expect(overlap).toBe(false);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('takes tasks in priority order, oldest first within a priority', async () => {
    const store = memoryStore();
    const priorities = [
      TaskPriority.LOW,
      TaskPriority.HIGH,
      TaskPriority.MEDIUM,
      TaskPriority.CRITICAL,
      TaskPriority.HIGH,
      TaskPriority.LOW,
      TaskPriority.MEDIUM,
    ];
    const created = priorities.map((priority, i) => store.createTask({ title: `t${i}`, description: 'x', priority }));
    const order: string[] = [];
    const swarm = new Swarm(store);
    swarm.registerAgent(agent('solo', (task) => void order.push(task.id)));
    await swarm.start({ stopWhenEmpty: true });
    const expected = [...created]
      .map((task, i) => ({ task, i }))
      .sort((a, b) => b.task.priority - a.task.priority || a.i - b.i)
      .map(({ task }) => task.id);
    expect(order).toEqual(expected);
  });

  it('routes by capability: a worker claims only tasks whose requirements it has', async () => {
    const store = memoryStore();
    const code = store.createTask({ title: 'code', description: 'x', requires: ['code'] });
    const test = store.createTask({ title: 'test', description: 'x', requires: ['test'] });
    const both = store.createTask({ title: 'both', description: 'x', requires: ['code', 'test'] });
    const any = store.createTask({ title: 'any', description: 'x' });
    const gpu = store.createTask({ title: 'gpu', description: 'x', requires: ['gpu'] });
    const ranBy = new Map<string, string>();
    const record = (task: { id: string }, ctx: { workerName: string }) => void ranBy.set(task.id, ctx.workerName);
    const logger = memoryLogger();
    const swarm = new Swarm(store, { logger });
    swarm.registerAgent(agent('coder', record, ['code']));
    swarm.registerAgent(agent('tester', record, ['test']));
    swarm.registerAgent(agent('fullstack', record, ['code', 'test']));
    swarm.registerAgent(agent('plain', record));
    const summary = await swarm.start({ stopWhenEmpty: true });
    expect(summary.completed).toBe(4);
    expect(['coder-1', 'fullstack-1']).toContain(ranBy.get(code.id));
    expect(['tester-1', 'fullstack-1']).toContain(ranBy.get(test.id));
    expect(ranBy.get(both.id)).toBe('fullstack-1');
    expect(ranBy.has(any.id)).toBe(true);
    expect(ranBy.has(gpu.id)).toBe(false);
    expect(store.getTask(gpu.id)?.status).toBe(TaskStatus.PENDING);
    expect(logger.lines.warn.join('\n')).toMatch(/1 pending task\(s\).*1 require capabilities no registered agent has/);
  });

  it('keeps priority order within what a worker can do', async () => {
    const store = memoryStore();
    store.createTask({ title: 'critical gpu', description: 'x', priority: TaskPriority.CRITICAL, requires: ['gpu'] });
    const low = store.createTask({ title: 'low', description: 'x', priority: TaskPriority.LOW });
    const high = store.createTask({ title: 'high', description: 'x', priority: TaskPriority.HIGH });
    const order: string[] = [];
    const swarm = new Swarm(store);
    swarm.registerAgent(agent('cpu', (task) => void order.push(task.id)));
    await swarm.start({ stopWhenEmpty: true });
    expect(order).toEqual([high.id, low.id]);
  });

  it('records what agents return and throw', async () => {
    const store = memoryStore({ maxAttempts: 1 });
    const ok = store.createTask({ title: 'ok', description: 'string' });
    const rich = store.createTask({ title: 'rich', description: 'object' });
    const none = store.createTask({ title: 'none', description: 'undefined' });
    const typeError = store.createTask({ title: 'te', description: 'TypeError' });
    const plain = store.createTask({ title: 'plain', description: 'Error' });
    const str = store.createTask({ title: 'str', description: 'string throw' });
    const obj = store.createTask({ title: 'obj', description: 'object throw' });
    const bad = store.createTask({ title: 'bad', description: 'number' });
    const swarm = new Swarm(store);
    swarm.registerAgent(
      agent('mixed', (task): never | string | undefined | object => {
        switch (task.description) {
          case 'string':
            return 'hello';
          case 'object':
            return {
              result: 'with usage',
              usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
              costUsd: 0.25,
            };
          case 'undefined':
            return undefined;
          case 'TypeError':
            throw new TypeError('x is not a function');
          case 'Error':
            throw new Error('plain failure');
          case 'string throw':
            throw 'just a string';
          case 'object throw':
            throw { code: 42 };
          default:
            return 7 as never;
        }
      }),
    );
    const summary = await swarm.start({ stopWhenEmpty: true });
    expect(store.getTask(ok.id)).toMatchObject({ status: 'completed', result: 'hello' });
    expect(store.getTask(rich.id)).toMatchObject({ status: 'completed', result: 'with usage' });
    expect(store.getTask(none.id)?.status).toBe('completed');
    expect(store.getTask(none.id)?.result).toBeUndefined();
    expect(store.getTask(typeError.id)).toMatchObject({ status: 'failed', error: 'TypeError: x is not a function' });
    expect(store.getTask(plain.id)).toMatchObject({ status: 'failed', error: 'plain failure' });
    expect(store.getTask(str.id)).toMatchObject({ status: 'failed', error: 'just a string' });
    expect(store.getTask(obj.id)).toMatchObject({ status: 'failed', error: '{"code":42}' });
    expect(store.getTask(bad.id)?.error).toMatch(/returned a number; return a string/);
    expect(summary).toMatchObject({ completed: 3, failed: 5, costUsd: 0.25 });
    expect(summary.tokens).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(summary.perAgent['mixed-1']).toMatchObject({ completed: 3, failed: 5, costUsd: 0.25 });
  });

  it('retries a failed attempt through the store (task:retried), then completes it', async () => {
    const store = memoryStore({ backoff: { baseMs: 1, maxMs: 1 } });
    const task = store.createTask({ title: 'flaky', description: 'x' });
    let calls = 0;
    const swarm = new Swarm(store);
    swarm.registerAgent(
      agent('flaky', (_t, ctx) => {
        calls++;
        if (ctx.attempt === 1) throw new Error('first try fails');
        return 'second try works';
      }),
    );
    const retried: string[] = [];
    swarm.on('task:retried', (e) => retried.push(e.error));
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 5 });
    expect(calls).toBe(2);
    expect(retried).toEqual(['first try fails']);
    expect(summary).toMatchObject({ completed: 1, retried: 1, failed: 0 });
    expect(store.getTask(task.id)).toMatchObject({ status: 'completed', result: 'second try works', attempts: 2 });
  });

  it('shows busy workers and their tasks in status()', async () => {
    const store = memoryStore();
    const task = store.createTask({ title: 'Long job', description: 'x' });
    let release!: () => void;
    const swarm = new Swarm(store);
    swarm.registerAgent(agent('slow', () => new Promise<string>((resolve) => (release = () => resolve('ok')))));
    swarm.registerAgent(noop('other'));
    const run = swarm.start();
    await new Promise<void>((resolve) => swarm.on('task:started', () => resolve()));
    expect(swarm.status()).toMatchObject({
      state: 'running',
      running: 1,
      workers: [
        { name: 'slow-1', state: 'busy', taskId: task.id, taskTitle: 'Long job' },
        { name: 'other-1', state: 'idle' },
      ],
    });
    release();
    await new Promise<void>((resolve) => swarm.on('task:completed', () => resolve()));
    await swarm.stop();
    await run;
    expect(swarm.status().state).toBe('stopped');
  });

  it('adds a worker registered while running', async () => {
    const store = memoryStore();
    const swarm = new Swarm(store);
    swarm.registerAgent(noop('code', ['code']));
    const run = swarm.start({ pollInterval: 60_000 });
    const task = store.createTask({ title: 'needs test', description: 'x', requires: ['test'] });
    const done = new Promise<string>((resolve) => swarm.on('task:completed', (e) => resolve(e.worker)));
    expect(swarm.registerAgent(noop('qa', ['test']))).toBe('qa-1');
    expect(await done).toBe('qa-1');
    await swarm.stop();
    await run;
    expect(store.getTask(task.id)?.status).toBe('completed');
  });
});
