import { TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { Swarm } from '../src/index.js';
import { agent, memoryStore, record, taskTrail } from './helpers.js';

describe('dependencies', () => {
  it('runs a chain in order, and each agent sees its dependencies with their results', async () => {
    const store = memoryStore();
    const design = store.createTask({ title: 'design', description: 'x' });
    const build = store.createTask({ title: 'build', description: 'x', dependsOn: [design.id] });
    const test = store.createTask({ title: 'test', description: 'x', dependsOn: [build.id] });
    const ship = store.createTask({ title: 'ship', description: 'x', dependsOn: [design.id, test.id] });
    const order: string[] = [];
    const seen = new Map<string, Array<[string, string | undefined, string]>>();
    const swarm = new Swarm(store);
    const worker = agent('dev', (task, ctx) => {
      order.push(task.title);
      seen.set(
        task.title,
        ctx.dependencies.map((d) => [d.title, d.result, d.status]),
      );
      return `${task.title} done`;
    });
    for (let i = 0; i < 3; i++) swarm.registerAgent(worker);
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 });
    expect(summary.completed).toBe(4);
    expect(order).toEqual(['design', 'build', 'test', 'ship']);
    expect(seen.get('design')).toEqual([]);
    expect(seen.get('build')).toEqual([['design', 'design done', TaskStatus.COMPLETED]]);
    expect(seen.get('ship')).toEqual([
      ['design', 'design done', TaskStatus.COMPLETED],
      ['test', 'test done', TaskStatus.COMPLETED],
    ]);
    expect(store.getTask(ship.id)?.status).toBe(TaskStatus.COMPLETED);
  });

  it('cancels the dependants of a failed task, naming it, and drains', async () => {
    const store = memoryStore();
    const parent = store.createTask({ title: 'parent', description: 'x', maxAttempts: 1 });
    const child = store.createTask({ title: 'child', description: 'x', dependsOn: [parent.id] });
    const grandchild = store.createTask({ title: 'grandchild', description: 'x', dependsOn: [child.id] });
    const sibling = store.createTask({ title: 'independent', description: 'x' });
    const ran: string[] = [];
    const swarm = new Swarm(store);
    swarm.registerAgent(
      agent('dev', (task) => {
        ran.push(task.title);
        if (task.title === 'parent') throw new Error('the parent broke');
        return 'ok';
      }),
    );
    const events = record(swarm);
    const summary = await swarm.start({ stopWhenEmpty: true });
    expect(summary).toMatchObject({ reason: 'drained', failed: 1, completed: 1 });
    expect(ran.sort()).toEqual(['independent', 'parent']);
    expect(taskTrail(events, parent.id)).toEqual(['task:claimed', 'task:started', 'task:failed']);
    expect(events.find((e) => e.type === 'task:failed')).toMatchObject({ error: 'the parent broke' });
    expect(store.getTask(child.id)).toMatchObject({ status: TaskStatus.CANCELLED });
    expect(store.getTask(child.id)?.error).toContain(parent.id);
    expect(store.getTask(grandchild.id)?.status).toBe(TaskStatus.CANCELLED);
    expect(store.getTask(grandchild.id)?.error).toContain(child.id);
    expect(store.getTask(sibling.id)?.status).toBe(TaskStatus.COMPLETED);
  });

  it('waits for a dependency another worker is still running', async () => {
    const store = memoryStore();
    const slow = store.createTask({ title: 'slow', description: 'x' });
    const after = store.createTask({ title: 'after', description: 'x', dependsOn: [slow.id] });
    const order: string[] = [];
    let release!: () => void;
    const swarm = new Swarm(store);
    const worker = agent('dev', async (task) => {
      order.push(`start ${task.title}`);
      if (task.title === 'slow') await new Promise<void>((resolve) => (release = resolve));
      order.push(`end ${task.title}`);
      return 'ok';
    });
    swarm.registerAgent(worker);
    swarm.registerAgent(worker);
    const started = new Promise<void>((resolve) => swarm.on('task:started', () => resolve()));
    const idle = new Promise<void>((resolve) => swarm.on('agent:idle', () => resolve()));
    const run = swarm.start({ stopWhenEmpty: true, pollInterval: 60_000 });
    await started;
    // The other worker found nothing it could claim (the dependant is gated) and went idle.
    await idle;
    expect(swarm.status().state).toBe('running');
    release();
    expect((await run).completed).toBe(2);
    expect(order).toEqual(['start slow', 'end slow', 'start after', 'end after']);
    expect(store.getTask(after.id)?.status).toBe(TaskStatus.COMPLETED);
  });
});
