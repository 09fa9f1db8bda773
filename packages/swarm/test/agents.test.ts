import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandAgent, ExecutorAgent, FunctionAgent } from '@omc/agents';
import { TaskPriority, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { Swarm } from '../src/index.js';
import { memoryStore, record, taskTrail } from './helpers.js';

describe('with @omc/agents', () => {
  it("runs the guide's Multi-Agent Example: 5 executors, 20 tasks, the first 5 HIGH", async () => {
    const taskPool = memoryStore();
    const swarm = new Swarm(taskPool);
    for (let i = 0; i < 5; i++) swarm.registerAgent(new ExecutorAgent());
    for (let i = 0; i < 20; i++) {
      taskPool.createTask({
        title: `Task ${i + 1}`,
        description: `Implementation work for task ${i + 1}`,
        priority: i < 5 ? TaskPriority.HIGH : TaskPriority.MEDIUM,
      });
    }
    const started: string[] = [];
    swarm.on('task:started', (e) => started.push(e.task.title));
    const summary = await swarm.start({ maxConcurrency: 5, pollInterval: 1000, stopWhenEmpty: true });
    expect(summary).toMatchObject({ reason: 'drained', completed: 20, failed: 0 });
    expect(Object.keys(summary.perAgent)).toEqual([
      'executor-1',
      'executor-2',
      'executor-3',
      'executor-4',
      'executor-5',
    ]);
    expect(new Set(started.slice(0, 5))).toEqual(new Set(['Task 1', 'Task 2', 'Task 3', 'Task 4', 'Task 5']));
    expect(taskPool.getStats()).toMatchObject({ completed: 20 });
  });

  it('runs a FunctionAgent', async () => {
    const store = memoryStore();
    const task = store.createTask({ title: 'shout', description: 'hello' });
    const swarm = new Swarm(store);
    swarm.registerAgent(new FunctionAgent({ name: 'upper', run: (t) => t.description.toUpperCase() }));
    await swarm.start({ stopWhenEmpty: true });
    expect(store.getTask(task.id)).toMatchObject({ status: TaskStatus.COMPLETED, result: 'HELLO' });
  });

  it("kills a hanging CommandAgent's process at the task's timeout", async () => {
    const store = memoryStore();
    // sh starts in a millisecond even on a loaded machine (node took over 300 ms there, and was killed
    // before it could write its pid).
    const task = store.createTask({ title: 'hang', description: 'x', timeoutMs: 1000, maxAttempts: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'omc-swarm-cmd-'));
    const pidFile = join(dir, 'pid');
    const swarm = new Swarm(store);
    swarm.registerAgent(
      new CommandAgent({
        name: 'sh',
        command: 'sh',
        args: ['-c', 'echo $$ > "$1"; sleep 60', 'sh', pidFile],
        killGraceMs: 100,
      }),
    );
    const events = record(swarm);
    const summary = await swarm.start({ stopWhenEmpty: true, pollInterval: 50 });
    expect(summary).toMatchObject({ leaseLost: 1, completed: 0 });
    expect(taskTrail(events, task.id)).toEqual(['task:claimed', 'task:started', 'task:lease-lost']);
    // The store failed it (last attempt), recording the timeout.
    expect(store.getTask(task.id)?.status).toBe(TaskStatus.FAILED);
    expect(store.getTask(task.id)?.error).toMatch(/timed out after 1000 ms/);
    // The program was killed, not left running.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    rmSync(dir, { recursive: true, force: true });
  });
});
