// The guide's examples that use OhMyCopilot, as written (the imports are ours; the guide shows none).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutorAgent, FunctionAgent, OhMyCopilot, QATesterAgent, TaskPriority, TaskStatus } from '../src/index.js';

describe('guide examples through OhMyCopilot', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-sdk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('Database Location: via OhMyCopilot', () => {
    const omc = new OhMyCopilot({
      dbPath: join(dir, 'swarm-tasks.db'),
    });
    const taskPool = omc.getTaskPool();
    taskPool.createTask({ title: 't', description: 'd' });
    omc.close();
    const again = new OhMyCopilot({ dbPath: join(dir, 'swarm-tasks.db') });
    expect(again.getTaskPool().getStats().total).toBe(1);
    again.close();
  });

  it('Multi-Agent Example', async () => {
    const omc = new OhMyCopilot({ dbPath: join(dir, 'multi.db') });
    const swarm = omc.getSwarm();
    const taskPool = omc.getTaskPool();

    // Register 5 executor agents
    for (let i = 0; i < 5; i++) {
      swarm.registerAgent(new ExecutorAgent());
    }

    // Add 20 tasks
    for (let i = 0; i < 20; i++) {
      taskPool.createTask({
        title: `Task ${i + 1}`,
        description: `Implementation work for task ${i + 1}`,
        priority: i < 5 ? TaskPriority.HIGH : TaskPriority.MEDIUM,
      });
    }

    // Start swarm - agents will compete for tasks
    await swarm.start({
      maxConcurrency: 5, // All 5 agents work simultaneously
      pollInterval: 1000, // Check for new tasks every second
      stopWhenEmpty: true, // Stop when all tasks complete
    });

    expect(taskPool.getStats()).toMatchObject({ total: 20, completed: 20, pending: 0, claimed: 0, inProgress: 0 });
    const agents = new Set(taskPool.getTasks().map((t) => t.assignedAgent));
    expect(agents).toEqual(new Set(['executor-1', 'executor-2', 'executor-3', 'executor-4', 'executor-5']));
    expect(omc.getSwarm()).toBe(swarm);
    omc.close();
  });

  it('Swarm Mode (Primary)', async () => {
    const omc = new OhMyCopilot({ dbPath: join(dir, 'tasks.db') });
    const swarm = omc.getSwarm();
    const taskPool = omc.getTaskPool();

    // Register agents
    swarm.registerAgent(new ExecutorAgent());
    swarm.registerAgent(new QATesterAgent());

    // Add tasks
    taskPool.createTask({
      title: 'Task 1',
      description: 'Work to do',
      priority: TaskPriority.HIGH,
    });

    // Start swarm
    await swarm.start({ stopWhenEmpty: true });

    const [task] = taskPool.getTasks();
    expect(task?.status).toBe(TaskStatus.COMPLETED);
    expect(task?.result).toContain('scripted (offline)');
    omc.close();
  });

  it('Autopilot, Ultrawork and Ecomode, as the guide calls them', async () => {
    const omc = new OhMyCopilot({ dbPath: join(dir, 'modes.db') });
    const run = await omc.autopilot('Build authentication system');
    expect(run.status).toBe('completed');

    const results = await omc.ultra([
      { title: 'Task 1', agent: new ExecutorAgent() },
      { title: 'Task 2', agent: new ExecutorAgent() },
    ]);
    expect(results.map((r) => r.status)).toEqual([TaskStatus.COMPLETED, TaskStatus.COMPLETED]);

    const eco = await omc.eco('Simple task');
    expect(eco.status).toBe(TaskStatus.COMPLETED);
    omc.close();
  });
});

describe('the README', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-readme-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs "A swarm in ten lines": routing, a dependency, events', async () => {
    const seen: string[] = [];
    const omc = new OhMyCopilot({ dbPath: join(dir, 'swarm-tasks.db') });
    const swarm = omc.getSwarm();
    for (let i = 0; i < 5; i++) swarm.registerAgent(new ExecutorAgent()); // executor-1 … executor-5
    swarm.registerAgent(
      new FunctionAgent({ name: 'tester', capabilities: ['test'], run: (task) => `ran ${task.title}` }),
    );
    const pool = omc.getTaskPool();
    const design = pool.createTask({ title: 'Design', description: 'Sketch the API', priority: TaskPriority.HIGH });
    pool.createTask({ title: 'Test', description: 'Run the suite', requires: ['test'], dependsOn: [design.id] });
    swarm.on('task:completed', (e) => seen.push(`${e.worker} ${e.task.title}`));
    await swarm.start({ maxConcurrency: 5, stopWhenEmpty: true });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^executor-\d Design$/);
    expect(seen[1]).toBe('tester-1 Test');
    omc.close();
  });
});
