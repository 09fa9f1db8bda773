import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TaskStatus } from '@omc/core';
import { TaskPool } from '@omc/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { Swarm } from '../src/index.js';
import { agent, noop, record, sleep, taskTrail } from './helpers.js';

const run = promisify(execFile);
// The child process imports the built store, as another app on the same file would.
const STORE_DIST = fileURLToPath(new URL('../../store-sqlite/dist/index.js', import.meta.url));

describe('on a SQLite file (TaskPool)', () => {
  const dirs: string[] = [];
  const pools: TaskPool[] = [];
  afterEach(() => {
    for (const pool of pools.splice(0)) pool.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const openPool = () => {
    const dir = mkdtempSync(join(tmpdir(), 'omc-swarm-'));
    dirs.push(dir);
    const path = join(dir, 'tasks.db');
    const pool = new TaskPool(path);
    pools.push(pool);
    return { pool, path };
  };

  it('five agents of one kind all work', async () => {
    const { pool } = openPool();
    pool.createTasks(Array.from({ length: 50 }, (_, i) => ({ title: `Task ${i + 1}`, description: 'work' })));
    const swarm = new Swarm(pool);
    const executor = agent('executor', async () => {
      await sleep(20);
      return 'done';
    });
    for (let i = 0; i < 5; i++) swarm.registerAgent(executor);
    const summary = await swarm.start({ maxConcurrency: 5, stopWhenEmpty: true });
    expect(summary.completed).toBe(50);
    for (const stats of Object.values(summary.perAgent)) expect(stats.completed).toBeGreaterThanOrEqual(1);
    expect(pool.getStats()).toMatchObject({ completed: 50, claimed: 0, inProgress: 0 });
  });

  it('completes 5 000 no-op tasks with 8 workers, each exactly once', async () => {
    const { pool } = openPool();
    const tasks = pool.createTasks(Array.from({ length: 5_000 }, (_, i) => ({ title: `t${i}`, description: 'noop' })));
    const swarm = new Swarm(pool);
    for (let i = 0; i < 8; i++) swarm.registerAgent(noop());
    const completions = new Map<string, number>();
    swarm.on('task:completed', (e) => completions.set(e.task.id, (completions.get(e.task.id) ?? 0) + 1));
    const summary = await swarm.start({ maxConcurrency: 8, stopWhenEmpty: true });
    expect(summary.completed).toBe(5_000);
    expect(Object.values(summary.perAgent).reduce((sum, s) => sum + s.completed, 0)).toBe(5_000);
    expect(pool.getStats()).toMatchObject({ total: 5_000, completed: 5_000 });
    expect(completions.size).toBe(5_000);
    expect([...completions.values()].every((n) => n === 1)).toBe(true);
    // The store's own record: every task was claimed once and completed once.
    for (const task of tasks.slice(0, 500)) {
      const history = pool.getTaskHistory(task.id);
      expect(history.filter((h) => h.to === TaskStatus.COMPLETED)).toHaveLength(1);
      expect(pool.getTask(task.id)?.attempts).toBe(1);
    }
  });

  it('runs a dependency chain in order across grouped writes', async () => {
    const { pool } = openPool();
    const a = pool.createTask({ title: 'a', description: 'x' });
    const b = pool.createTask({ title: 'b', description: 'x', dependsOn: [a.id] });
    const c = pool.createTask({ title: 'c', description: 'x', dependsOn: [b.id] });
    const order: string[] = [];
    const swarm = new Swarm(pool);
    const worker = agent('w', (task, ctx) => {
      order.push(task.title);
      return `${task.title}<-${ctx.dependencies.map((d) => d.result).join(',')}`;
    });
    for (let i = 0; i < 3; i++) swarm.registerAgent(worker);
    await swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 });
    expect(order).toEqual(['a', 'b', 'c']);
    expect(pool.getTask(c.id)?.result).toBe('c<-b<-a<-');
  });

  it('stop() leaves nothing claimed: claimed-ahead and interrupted tasks are handed back', async () => {
    const { pool } = openPool();
    pool.createTasks(Array.from({ length: 30 }, (_, i) => ({ title: `fast ${i}`, description: 'fast', priority: 2 })));
    pool.createTasks(Array.from({ length: 30 }, (_, i) => ({ title: `slow ${i}`, description: 'slow', priority: 1 })));
    let slow = 0;
    const swarm = new Swarm(pool, { prefetch: 16 });
    const worker = agent('w', (task, ctx) => {
      if (task.description === 'fast') return 'ok';
      slow++;
      return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    });
    for (let i = 0; i < 3; i++) swarm.registerAgent(worker);
    const events = record(swarm);
    const running = swarm.start({ pollInterval: 60_000 });
    while (slow < 3) await sleep(5);
    await swarm.stop({ graceMs: 50 });
    const summary = await running;
    expect(pool.getStats()).toMatchObject({ completed: 30, pending: 30, claimed: 0, inProgress: 0 });
    expect(summary.released).toBeGreaterThanOrEqual(3);
    for (const task of pool.getTasks({ status: TaskStatus.PENDING })) {
      expect(task.attempts).toBe(0);
      const trail = taskTrail(events, task.id);
      if (trail.length > 0) expect(trail.at(-1)).toBe('task:released');
    }
  });

  it('wakes at once for a task created by another process (pollInterval 60 s)', async () => {
    const { pool, path } = openPool();
    const swarm = new Swarm(pool);
    swarm.registerAgent(noop());
    swarm.registerAgent(noop());
    let idle = 0;
    const allIdle = new Promise<void>((resolve) =>
      swarm.on('agent:idle', () => {
        if (++idle === 2) resolve();
      }),
    );
    const done = new Promise<string>((resolve) => swarm.on('task:completed', (e) => resolve(e.task.title)));
    const running = swarm.start({ pollInterval: 60_000 });
    await allIdle;
    const script = `
      const { TaskPool } = await import(${JSON.stringify(STORE_DIST)});
      const pool = new TaskPool(${JSON.stringify(path)});
      pool.createTask({ title: 'from another process', description: 'x' });
      pool.close();
    `;
    await run(process.execPath, ['--input-type=module', '-e', script]);
    // Well before the next poll (a minute away): the store's cross-process change signal woke the swarm.
    const guard = sleep(15_000).then(() => 'not woken within 15 s');
    expect(await Promise.race([done, guard])).toBe('from another process');
    await swarm.stop();
    expect((await running).completed).toBe(1);
  });
});
