/**
 * Every code example of the task management guide (/work/shared/spec/task-management-guide.md), run as
 * written against the SQLite pool. The example bodies are copied from the guide; the changes TypeScript
 * strict mode needs are marked: `!` after a `claimTask()` whose result the guide uses unchecked,
 * `(error as Error)` in `catch` blocks, and temp-dir paths in place of './tasks.db'. What the guide
 * leaves undefined (`agent`, `sleep`, `doWork`, `executeTask`, `isRunning`…) is a small fake.
 *
 * Not run here: the examples that need `OhMyCopilot`, the swarm or agents (Database Location's "Via
 * OhMyCopilot", Multi-Agent Example, Integration with Execution Modes, Best Practices 8 and 9), which are
 * later issues, and the pseudo-code sketches (`findPendingTask()`, `findTask()`, optimistic locking).
 */
import fs, { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '@omc/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Task, TaskPool, TaskPriority, TaskStatus } from '../src/index.js';
import {
  captureConsoleLog,
  countByStatus,
  expectEpochMs,
  expectOmcError,
  rawDb,
  statsFromRows,
  UUID,
  usePools,
} from './helpers.js';

const pools = usePools();
const logs = captureConsoleLog();

/** The raw `tasks` row of a task, snake_case as in the guide's schema. */
function rowOf(taskPool: TaskPool, id: string): Record<string, unknown> {
  return rawDb(taskPool).prepare('SELECT * FROM tasks WHERE id = ?').get(id) as Record<string, unknown>;
}

/** Move a task to `status` through allowed transitions, with `updateTask` (the caller picks the task). */
function moveTo(taskPool: TaskPool, id: string, status: TaskStatus, agent = 'agent-1'): Task {
  const path: Record<TaskStatus, TaskStatus[]> = {
    pending: [],
    claimed: [TaskStatus.CLAIMED],
    in_progress: [TaskStatus.CLAIMED, TaskStatus.IN_PROGRESS],
    completed: [TaskStatus.CLAIMED, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED],
    failed: [TaskStatus.CLAIMED, TaskStatus.IN_PROGRESS, TaskStatus.FAILED],
    cancelled: [TaskStatus.CANCELLED],
  };
  let task = taskPool.getTask(id) as Task;
  for (const step of path[status]) {
    task = taskPool.updateTask(
      id,
      step === TaskStatus.CLAIMED ? { status: step, assignedAgent: agent } : { status: step },
    ) as Task;
  }
  expect(task.status).toBe(status);
  return task;
}

describe('guide: SQLite Task Pool Architecture', () => {
  it('Database Location: new TaskPool() is in memory, new TaskPool(path) a persistent file', () => {
    const dir = pools.dir();
    const tasksDb = join(dir, 'tasks.db');

    // In-memory (default, for testing)
    const taskPool = pools.track(new TaskPool());

    // Persistent file
    const filePool = pools.track(new TaskPool(tasksDb));

    expect(rawDb(taskPool).memory).toBe(true);
    expect(rawDb(filePool).memory).toBe(false);
    expect(existsSync(tasksDb)).toBe(true);
  });

  it('Database Schema: table tasks has the guide’s snake_case columns', () => {
    const taskPool = pools.memory();
    const columns = rawDb(taskPool).prepare('SELECT name, type, "notnull" FROM pragma_table_info(\'tasks\')').all() as {
      name: string;
      type: string;
      notnull: number;
    }[];
    const byName = new Map(columns.map((column) => [column.name, column]));
    const guide: [string, string, number][] = [
      ['id', 'TEXT', 1],
      ['title', 'TEXT', 1],
      ['description', 'TEXT', 1],
      ['status', 'TEXT', 1],
      ['priority', 'INTEGER', 1],
      ['assigned_agent', 'TEXT', 0],
      ['created_at', 'INTEGER', 1],
      ['updated_at', 'INTEGER', 1],
      ['started_at', 'INTEGER', 0],
      ['completed_at', 'INTEGER', 0],
      ['result', 'TEXT', 0],
      ['error', 'TEXT', 0],
      ['metadata', 'TEXT', 0],
    ];
    for (const [name, type, notnull] of guide) {
      expect(byName.get(name), name).toMatchObject({
        type: expect.stringMatching(new RegExp(`^${type}$`, 'i')),
        notnull,
      });
    }
  });
});

describe('guide: Task Lifecycle & State Machine', () => {
  it('Typical Flow, 4a: PENDING → CLAIMED → IN_PROGRESS → COMPLETED', () => {
    const taskPool = pools.memory();
    const before = Date.now();

    // 1. Create task (PENDING)
    const task = taskPool.createTask({
      title: 'Implement login API',
      description: 'Create JWT-based authentication endpoint',
      priority: TaskPriority.HIGH,
    });
    // status: PENDING
    expect(task).toMatchObject({ status: TaskStatus.PENDING, priority: TaskPriority.HIGH, assignedAgent: undefined });
    expect(task.id).toMatch(UUID);
    expectEpochMs(task.createdAt, before);
    expect(task.updatedAt).toBe(task.createdAt);

    // 2. Agent claims task (CLAIMED)
    const claimed = taskPool.claimTask('agent-1');
    // status: CLAIMED, assigned_agent: 'agent-1', started_at: timestamp
    expect(claimed).toMatchObject({ id: task.id, status: TaskStatus.CLAIMED, assignedAgent: 'agent-1' });
    expectEpochMs(claimed!.startedAt, task.createdAt);
    expect(rowOf(taskPool, task.id)).toMatchObject({
      status: 'claimed',
      assigned_agent: 'agent-1',
      started_at: claimed!.startedAt,
    });

    // 3. Agent starts execution (IN_PROGRESS)
    taskPool.updateTask(claimed!.id, { status: TaskStatus.IN_PROGRESS });
    // status: IN_PROGRESS
    expect(taskPool.getTask(task.id)).toMatchObject({ status: TaskStatus.IN_PROGRESS, assignedAgent: 'agent-1' });

    // 4a. Success (COMPLETED)
    taskPool.updateTask(claimed!.id, {
      status: TaskStatus.COMPLETED,
      result: 'Successfully implemented login endpoint',
    });
    // status: COMPLETED, completed_at: timestamp
    const done = taskPool.getTask(task.id)!;
    expect(done).toMatchObject({
      status: TaskStatus.COMPLETED,
      result: 'Successfully implemented login endpoint',
      assignedAgent: 'agent-1',
      startedAt: claimed!.startedAt,
      error: undefined,
    });
    expectEpochMs(done.completedAt, claimed!.startedAt!);
    expect(rowOf(taskPool, task.id)).toMatchObject({ status: 'completed', completed_at: done.completedAt });
    expect(taskPool.getStats()).toMatchObject({ total: 1, completed: 1, pending: 0, claimed: 0, inProgress: 0 });
  });

  it('Typical Flow, 4b: PENDING → CLAIMED → IN_PROGRESS → FAILED', () => {
    const taskPool = pools.memory();
    taskPool.createTask({
      title: 'Implement login API',
      description: 'Create JWT-based authentication endpoint',
      priority: TaskPriority.HIGH,
    });
    const claimed = taskPool.claimTask('agent-1');
    taskPool.updateTask(claimed!.id, { status: TaskStatus.IN_PROGRESS });

    // 4b. Failure (FAILED)
    taskPool.updateTask(claimed!.id, {
      status: TaskStatus.FAILED,
      error: 'Database connection failed',
    });
    // status: FAILED, completed_at: timestamp
    const failed = taskPool.getTask(claimed!.id)!;
    expect(failed).toMatchObject({ status: TaskStatus.FAILED, error: 'Database connection failed', result: undefined });
    expectEpochMs(failed.completedAt, claimed!.startedAt!);
    expect(taskPool.getStats()).toMatchObject({ total: 1, failed: 1, completed: 0 });
  });

  it('Typical Flow: 4a and 4b are alternatives; failing a COMPLETED task is refused and writes nothing', () => {
    const taskPool = pools.memory();
    taskPool.createTask({ title: 'Implement login API', description: 'Create JWT-based authentication endpoint' });
    const claimed = taskPool.claimTask('agent-1');
    taskPool.updateTask(claimed!.id, { status: TaskStatus.IN_PROGRESS });
    taskPool.updateTask(claimed!.id, {
      status: TaskStatus.COMPLETED,
      result: 'Successfully implemented login endpoint',
    });
    const before = rowOf(taskPool, claimed!.id);

    const error = expectOmcError(
      () => taskPool.updateTask(claimed!.id, { status: TaskStatus.FAILED, error: 'Database connection failed' }),
      'OMC_INVALID_TRANSITION',
    );
    expect(error).toMatchObject({ taskId: claimed!.id, from: TaskStatus.COMPLETED, to: TaskStatus.FAILED });
    expect(error.message).toContain(claimed!.id);
    expect(rowOf(taskPool, claimed!.id)).toEqual(before);
  });

  it('State Transitions: every listed valid transition is allowed; COMPLETED and FAILED are terminal', () => {
    const taskPool = pools.memory();
    const valid: [TaskStatus, TaskStatus][] = [
      [TaskStatus.PENDING, TaskStatus.CLAIMED], // claimTask()
      [TaskStatus.CLAIMED, TaskStatus.IN_PROGRESS], // Agent starts work
      [TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED], // Task succeeds
      [TaskStatus.IN_PROGRESS, TaskStatus.FAILED], // Task fails
      [TaskStatus.PENDING, TaskStatus.CANCELLED], // Manual cancellation
      [TaskStatus.CLAIMED, TaskStatus.CANCELLED], // Manual cancellation
      [TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED], // Manual cancellation
    ];
    for (const [from, to] of valid) {
      const task = taskPool.createTask({ title: `${from} → ${to}`, description: 'transition' });
      moveTo(taskPool, task.id, from);
      const next = taskPool.updateTask(
        task.id,
        to === TaskStatus.CLAIMED ? { status: to, assignedAgent: 'agent-1' } : { status: to },
      );
      expect(next?.status, `${from} → ${to}`).toBe(to);
      expect(taskPool.getTask(task.id)?.status).toBe(to);
    }

    // Invalid transitions (prevented by API): COMPLETED → any state, FAILED → any state
    for (const terminal of [TaskStatus.COMPLETED, TaskStatus.FAILED]) {
      const task = taskPool.createTask({ title: `from ${terminal}`, description: 'terminal' });
      moveTo(taskPool, task.id, terminal);
      const before = rowOf(taskPool, task.id);
      for (const to of Object.values(TaskStatus)) {
        const error = expectOmcError(
          () => taskPool.updateTask(task.id, { status: to, assignedAgent: 'agent-2' }),
          'OMC_INVALID_TRANSITION',
        );
        expect(error).toMatchObject({ taskId: task.id, from: terminal, to });
      }
      expect(rowOf(taskPool, task.id)).toEqual(before);
    }
  });
});

describe('guide: Creating and Managing Tasks', () => {
  it('Creating Tasks: basic task gets an id, PENDING, MEDIUM and timestamps', () => {
    const taskPool = pools.memory();
    const before = Date.now();
    const task = taskPool.createTask({
      title: 'Implement user service',
      description: 'Create CRUD operations for user management',
    });
    expect(task).toMatchObject({
      title: 'Implement user service',
      description: 'Create CRUD operations for user management',
      status: TaskStatus.PENDING,
      priority: TaskPriority.MEDIUM,
      assignedAgent: undefined,
      startedAt: undefined,
      completedAt: undefined,
      result: undefined,
      error: undefined,
      metadata: undefined,
    });
    expect(task.id).toMatch(UUID);
    expectEpochMs(task.createdAt, before);
    expect(taskPool.getTask(task.id)).toEqual(task);
    expect(rowOf(taskPool, task.id)).toMatchObject({ priority: 1, status: 'pending', metadata: null });
  });

  it('Creating Tasks: task with priority', () => {
    const taskPool = pools.memory();
    const task = taskPool.createTask({
      title: 'Fix critical security bug',
      description: 'Patch SQL injection vulnerability in login',
      priority: TaskPriority.CRITICAL,
    });
    expect(task.priority).toBe(3);
    expect(taskPool.getTask(task.id)?.priority).toBe(TaskPriority.CRITICAL);
  });

  it('Creating Tasks: task with metadata round-trips as JSON', () => {
    const taskPool = pools.memory();
    const task = taskPool.createTask({
      title: 'Generate report',
      description: 'Create monthly sales report',
      priority: TaskPriority.MEDIUM,
      metadata: {
        reportType: 'sales',
        period: '2024-01',
        format: 'PDF',
        recipients: ['team@example.com'],
      },
    });
    const expected = { reportType: 'sales', period: '2024-01', format: 'PDF', recipients: ['team@example.com'] };
    expect(task.metadata).toEqual(expected);
    expect(taskPool.getTask(task.id)?.metadata).toEqual(expected);
    expect(JSON.parse(rowOf(taskPool, task.id).metadata as string)).toEqual(expected);
  });

  it('Updating Tasks: update status (of a claimed task)', () => {
    const taskPool = pools.memory();
    taskPool.createTask({ title: 'Implement user service', description: 'CRUD for users' });
    const taskId = taskPool.claimTask('agent-1')!.id;

    taskPool.updateTask(taskId, {
      status: TaskStatus.IN_PROGRESS,
    });

    expect(taskPool.getTask(taskId)).toMatchObject({ status: TaskStatus.IN_PROGRESS, assignedAgent: 'agent-1' });
  });

  it('Updating Tasks: the same update on a PENDING task is refused (PENDING → IN_PROGRESS is not in the table)', () => {
    const taskPool = pools.memory();
    const taskId = taskPool.createTask({ title: 'Implement user service', description: 'CRUD for users' }).id;
    const before = rowOf(taskPool, taskId);
    const error = expectOmcError(
      () => taskPool.updateTask(taskId, { status: TaskStatus.IN_PROGRESS }),
      'OMC_INVALID_TRANSITION',
    );
    expect(error).toMatchObject({ taskId, from: TaskStatus.PENDING, to: TaskStatus.IN_PROGRESS });
    expect(error.message).toContain(taskId);
    expect(rowOf(taskPool, taskId)).toEqual(before);
  });

  it('Updating Tasks: update with result', () => {
    const taskPool = pools.memory();
    const taskId = taskPool.createTask({ title: 'Implement user service', description: 'CRUD for users' }).id;
    moveTo(taskPool, taskId, TaskStatus.IN_PROGRESS);

    taskPool.updateTask(taskId, {
      status: TaskStatus.COMPLETED,
      result: JSON.stringify({
        filesCreated: ['user.service.ts', 'user.controller.ts'],
        testsAdded: 12,
        coverage: '95%',
      }),
    });

    const task = taskPool.getTask(taskId)!;
    expect(task.status).toBe(TaskStatus.COMPLETED);
    expect(task.completedAt).toBeTypeOf('number');
    expect(JSON.parse(task.result!)).toEqual({
      filesCreated: ['user.service.ts', 'user.controller.ts'],
      testsAdded: 12,
      coverage: '95%',
    });
  });

  it('Updating Tasks: update with error', () => {
    const taskPool = pools.memory();
    const taskId = taskPool.createTask({ title: 'Implement user service', description: 'CRUD for users' }).id;
    moveTo(taskPool, taskId, TaskStatus.IN_PROGRESS);

    taskPool.updateTask(taskId, {
      status: TaskStatus.FAILED,
      error: 'TypeScript compilation failed: Type error in user.service.ts:42',
    });

    expect(taskPool.getTask(taskId)).toMatchObject({
      status: TaskStatus.FAILED,
      error: 'TypeScript compilation failed: Type error in user.service.ts:42',
      completedAt: expect.any(Number),
    });
  });

  it('Updating Tasks: update metadata (spread over the old metadata), status untouched', () => {
    const taskPool = pools.memory();
    const task = taskPool.createTask({
      title: 'Generate report',
      description: 'Create monthly sales report',
      metadata: { reportType: 'sales', attempts: 1 },
    });
    const taskId = task.id;

    taskPool.updateTask(taskId, {
      metadata: {
        ...task.metadata,
        attempts: 2,
        lastError: 'Timeout',
      },
    });

    expect(taskPool.getTask(taskId)).toMatchObject({
      status: TaskStatus.PENDING,
      metadata: { reportType: 'sales', attempts: 2, lastError: 'Timeout' },
    });
  });

  it('Retrieving Tasks: get by id (an unknown id gives null, a known one the task)', () => {
    const taskPool = pools.memory();
    const created = taskPool.createTask({ title: 'Implement user service', description: 'CRUD for users' });
    {
      const task = taskPool.getTask('task-uuid-here');
      if (task) {
        console.log(task.title, task.status);
      }
      expect(task).toBeNull();
    }
    {
      const task = taskPool.getTask(created.id);
      if (task) {
        console.log(task.title, task.status);
      }
      expect(task).toEqual(created);
    }
    expect(logs).toEqual(['Implement user service pending']);
  });

  it('Retrieving Tasks: get all tasks', () => {
    const taskPool = pools.memory();
    for (const n of [1, 2, 3]) taskPool.createTask({ title: `Task ${n}`, description: `Work ${n}` });

    const allTasks = taskPool.getTasks();
    console.log(`Total tasks: ${allTasks.length}`);

    expect(logs).toEqual(['Total tasks: 3']);
  });

  it('Retrieving Tasks: get with filter (status, agent, priority, combined), ordered by priority then age', () => {
    const taskPool = pools.memory();
    const a = taskPool.createTask({ title: 'a', description: 'critical 1', priority: TaskPriority.CRITICAL });
    taskPool.createTask({ title: 'b', description: 'high', priority: TaskPriority.HIGH });
    taskPool.createTask({ title: 'c', description: 'default (medium)' });
    taskPool.createTask({ title: 'd', description: 'critical 2', priority: TaskPriority.CRITICAL });
    const e = taskPool.createTask({ title: 'e', description: 'high, agent-1', priority: TaskPriority.HIGH });
    const f = taskPool.createTask({ title: 'f', description: 'critical, agent-2', priority: TaskPriority.CRITICAL });
    const g = taskPool.createTask({ title: 'g', description: 'low, agent-1 done', priority: TaskPriority.LOW });
    moveTo(taskPool, e.id, TaskStatus.IN_PROGRESS, 'agent-1');
    moveTo(taskPool, f.id, TaskStatus.CLAIMED, 'agent-2');
    moveTo(taskPool, g.id, TaskStatus.COMPLETED, 'agent-1');
    const ids = (tasks: Task[]) => tasks.map((task) => task.title);

    // Pending tasks only
    const pending = taskPool.getTasks({ status: TaskStatus.PENDING });

    // Tasks assigned to specific agent
    const agentTasks = taskPool.getTasks({ assignedAgent: 'agent-1' });

    // High priority tasks
    const urgent = taskPool.getTasks({ priority: TaskPriority.HIGH });

    // Combined filters
    const criticalPending = taskPool.getTasks({
      status: TaskStatus.PENDING,
      priority: TaskPriority.CRITICAL,
    });

    expect(ids(pending)).toEqual(['a', 'd', 'b', 'c']);
    expect(ids(agentTasks)).toEqual(['e', 'g']);
    expect(ids(urgent)).toEqual(['b', 'e']);
    expect(ids(criticalPending)).toEqual(['a', 'd']);
    expect(criticalPending[0]).toEqual(taskPool.getTask(a.id));
    expect(ids(taskPool.getTasks())).toEqual(['a', 'd', 'f', 'b', 'e', 'c', 'g']);
  });

  it('Deleting Tasks: deleteTask returns true once, then false; clearAll empties the pool', () => {
    const taskPool = pools.memory();
    const taskId = taskPool.createTask({ title: 'x', description: 'to delete' }).id;
    taskPool.createTask({ title: 'y', description: 'kept until clearAll' });

    // Delete single task
    const deleted = taskPool.deleteTask(taskId);
    if (deleted) {
      console.log('Task deleted');
    }
    expect(deleted).toBe(true);
    expect(taskPool.getTask(taskId)).toBeNull();
    expect(taskPool.deleteTask(taskId)).toBe(false);
    expect(taskPool.getStats()).toMatchObject({ total: 1, pending: 1 });

    // Clear all tasks (use with caution!)
    taskPool.clearAll();

    expect(logs).toEqual(['Task deleted']);
    expect(taskPool.getTasks()).toEqual([]);
    expect(taskPool.getStats()).toEqual({
      total: 0,
      pending: 0,
      claimed: 0,
      inProgress: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
    });
  });
});

describe('guide: Task Priorities', () => {
  it('Priority Levels: LOW = 0 … CRITICAL = 3; statuses are the snake_case strings', () => {
    expect(TaskPriority).toEqual({ LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 });
    expect(TaskStatus).toEqual({
      PENDING: 'pending',
      CLAIMED: 'claimed',
      IN_PROGRESS: 'in_progress',
      COMPLETED: 'completed',
      FAILED: 'failed',
      CANCELLED: 'cancelled',
    });
  });

  it('Usage Examples: critical, normal and background tasks are claimed in priority order; LOW stays 0', () => {
    const taskPool = pools.memory();
    // Background maintenance first, so age alone would put it first.
    taskPool.createTask({
      title: 'Clean up old logs',
      description: 'Remove logs older than 90 days',
      priority: TaskPriority.LOW,
    });
    taskPool.createTask({
      title: 'Add user profile page',
      description: 'Display user information and settings',
      priority: TaskPriority.MEDIUM,
    });
    taskPool.createTask({
      title: 'Fix production outage',
      description: 'Database connection pool exhausted',
      priority: TaskPriority.CRITICAL,
    });
    taskPool.createTask({ title: 'Default priority', description: 'No priority given' });

    const claims = [1, 2, 3, 4, 5].map(() => taskPool.claimTask('agent-1'));
    expect(claims.map((task) => task && [task.title, task.priority])).toEqual([
      ['Fix production outage', 3],
      ['Add user profile page', 1],
      ['Default priority', 1],
      ['Clean up old logs', 0],
      null,
    ]);
    const low = rawDb(taskPool).prepare("SELECT priority FROM tasks WHERE title = 'Clean up old logs'").get();
    expect(low).toEqual({ priority: 0 });
  });
});

describe('guide: Task Claiming in Swarm Mode', () => {
  it('Atomic Claiming Process: the guide’s own claimTask listing runs on the schema and agrees with the pool', () => {
    const taskPool = pools.memory();

    // The guide's listing, with `this.db` as the pool's handle and `this.getTask` as the pool's.
    function claimTask(agentName: string): Task | null {
      const db = rawDb(taskPool);
      const transaction = db.transaction(() => {
        // 1. Find highest priority pending task
        const row = db
          .prepare(`
      SELECT * FROM tasks
      WHERE status = 'pending'
      ORDER BY priority DESC, created_at ASC
      LIMIT 1
    `)
          .get() as { id: string } | undefined;

        if (!row) return null;

        // 2. Atomically claim the task
        db.prepare(`
      UPDATE tasks
      SET status = 'claimed',
          assigned_agent = ?,
          updated_at = ?,
          started_at = ?
      WHERE id = ?
    `).run(agentName, Date.now(), Date.now(), row.id);

        // 3. Return claimed task
        return taskPool.getTask(row.id);
      });

      return transaction();
    }

    const priorities = [TaskPriority.LOW, TaskPriority.CRITICAL, TaskPriority.MEDIUM, TaskPriority.HIGH];
    const created: Task[] = [];
    for (let i = 0; i < 8; i++) {
      created.push(
        taskPool.createTask({
          title: `t${i}`,
          description: `task ${i}`,
          priority: priorities[i % 4] as TaskPriority,
        }),
      );
      // Distinct creation times, so the guide's ORDER BY (without the pool's FIFO tie-break) is total.
      const until = Date.now() + 2;
      while (Date.now() < until) {
        /* wait for the next millisecond */
      }
    }
    const expected = [...created].sort((x, y) => y.priority - x.priority || x.createdAt - y.createdAt);
    const claimed: (Task | null)[] = [];
    for (let i = 0; i < 9; i++) {
      claimed.push(i % 2 === 0 ? claimTask('guide-agent') : taskPool.claimTask('pool-agent'));
    }
    expect(claimed.map((task) => task?.id ?? null)).toEqual([...expected.map((task) => task.id), null]);
    expect(claimed[0]).toMatchObject({ status: TaskStatus.CLAIMED, assignedAgent: 'guide-agent' });
    expect(claimed[1]).toMatchObject({ status: TaskStatus.CLAIMED, assignedAgent: 'pool-agent' });
    // The raw UPDATEs are counted like the pool's own claims.
    expect(taskPool.getStats()).toMatchObject({ total: 8, pending: 0, claimed: 8 });
    expect(taskPool.getStats()).toEqual(statsFromRows(taskPool));
  });

  it('Why Atomic Operations Matter: "with transactions" each agent gets its own task or null', () => {
    const taskPool = pools.memory();
    const first = taskPool.createTask({ title: 'task-123', description: 'first' });
    const second = taskPool.createTask({ title: 'task-124', description: 'second' });

    const taskA = taskPool.claimTask('agent-A'); // Gets task-123
    const taskB = taskPool.claimTask('agent-B'); // Gets task-124 or null

    expect(taskA).toMatchObject({ id: first.id, assignedAgent: 'agent-A' });
    expect(taskB).toMatchObject({ id: second.id, assignedAgent: 'agent-B' });
  });

  it('Swarm Worker Pattern: three workers drain the pool in priority order, completing or failing each task', async () => {
    const taskPool = pools.memory();
    let isRunning = true;
    const sleeps: number[] = [];
    // No task left: the fake sleep ends the run (a real one would wait and poll again).
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      isRunning = false;
    };
    const executed: string[] = [];
    const agent = {
      async execute(input: { task: string; context?: Record<string, unknown> }): Promise<{ content: string }> {
        executed.push(input.task);
        if (executed.length > 100) isRunning = false; // a bound, should anything loop
        await new Promise((resolve) => setImmediate(resolve));
        if (input.context?.fail) throw new Error(`could not ${input.task}`);
        return { content: `done: ${input.task}` };
      },
    };

    async function runWorker(agentName: string): Promise<void> {
      while (isRunning) {
        // Atomically claim next task
        const task = taskPool.claimTask(agentName);

        if (!task) {
          await sleep(1000); // No tasks, wait
          continue;
        }

        // Update to IN_PROGRESS
        taskPool.updateTask(task.id, { status: TaskStatus.IN_PROGRESS });

        try {
          // Execute task
          const result = await agent.execute({
            task: task.description,
            context: task.metadata,
          });

          // Update with result
          taskPool.updateTask(task.id, {
            status: TaskStatus.COMPLETED,
            result: result.content,
          });
        } catch (error) {
          // Update with error
          taskPool.updateTask(task.id, {
            status: TaskStatus.FAILED,
            error: (error as Error).message,
          });
        }
      }
    }

    const specs = [
      { description: 'write docs', priority: TaskPriority.LOW },
      { description: 'fix outage', priority: TaskPriority.CRITICAL },
      { description: 'build feature', priority: TaskPriority.MEDIUM },
      { description: 'migrate db', priority: TaskPriority.HIGH, metadata: { fail: true } },
      { description: 'patch bug', priority: TaskPriority.HIGH },
      { description: 'refactor', priority: TaskPriority.LOW, metadata: { fail: true } },
      { description: 'add tests', priority: TaskPriority.MEDIUM },
    ];
    const tasks = specs.map((spec, i) => taskPool.createTask({ title: `Task ${i + 1}`, ...spec }));

    await Promise.all([runWorker('agent-1'), runWorker('agent-2'), runWorker('agent-3')]);

    expect(executed).toEqual([
      'fix outage',
      'migrate db',
      'patch bug',
      'build feature',
      'add tests',
      'write docs',
      'refactor',
    ]);
    expect(sleeps).toEqual([1000]);
    const agents = new Set<string>();
    for (const task of tasks) {
      const stored = taskPool.getTask(task.id)!;
      agents.add(stored.assignedAgent!);
      if (task.metadata?.fail) {
        expect(stored).toMatchObject({ status: TaskStatus.FAILED, error: `could not ${task.description}` });
      } else {
        expect(stored).toMatchObject({ status: TaskStatus.COMPLETED, result: `done: ${task.description}` });
      }
    }
    expect([...agents].sort()).toEqual(['agent-1', 'agent-2', 'agent-3']);
    expect(taskPool.getStats()).toEqual({
      total: 7,
      pending: 0,
      claimed: 0,
      inProgress: 0,
      completed: 5,
      failed: 2,
      cancelled: 0,
    });
  });
});

describe('guide: Task Pool API Reference', () => {
  it('Constructor: pool1 in memory, pool2 persistent', () => {
    const dir = pools.dir();
    const pool1 = pools.track(new TaskPool()); // In-memory
    const pool2 = pools.track(new TaskPool(join(dir, 'tasks.db'))); // Persistent
    pool1.createTask({ title: 'one', description: 'in memory' });
    pool2.createTask({ title: 'two', description: 'on disk' });
    expect(pool1.getTasks().map((task) => task.title)).toEqual(['one']);
    expect(pool2.getTasks().map((task) => task.title)).toEqual(['two']);
  });

  it('createTask: the reference example', () => {
    const taskPool = pools.memory();
    const task = taskPool.createTask({
      title: 'Build user API',
      description: 'Implement CRUD endpoints for users',
      priority: TaskPriority.HIGH,
      metadata: { framework: 'Express', database: 'MongoDB' },
    });
    expect(taskPool.getTask(task.id)).toMatchObject({
      title: 'Build user API',
      priority: TaskPriority.HIGH,
      status: TaskStatus.PENDING,
      metadata: { framework: 'Express', database: 'MongoDB' },
    });
  });

  it('claimTask: logs the claimed title, then "No tasks available"', () => {
    const taskPool = pools.memory();
    taskPool.createTask({ title: 'Build user API', description: 'Implement CRUD endpoints for users' });
    for (let i = 0; i < 2; i++) {
      const task = taskPool.claimTask('agent-worker-1');
      if (task) {
        console.log(`Claimed: ${task.title}`);
        // Process task...
        expect(task).toMatchObject({ status: TaskStatus.CLAIMED, assignedAgent: 'agent-worker-1' });
        expect(task.updatedAt).toBe(task.startedAt);
      } else {
        console.log('No tasks available');
      }
    }
    expect(logs).toEqual(['Claimed: Build user API', 'No tasks available']);
  });

  it('getTask: an unknown UUID gives null', () => {
    const taskPool = pools.memory();
    const task = taskPool.getTask('550e8400-e29b-41d4-a716-446655440000');
    if (task) {
      console.log(`Status: ${task.status}`);
    }
    expect(task).toBeNull();
    expect(logs).toEqual([]);
  });

  it('updateTask: mark as completed, mark as failed; completed_at set; null for a missing id', () => {
    const taskPool = pools.memory();
    for (const [status, field, text] of [
      [TaskStatus.COMPLETED, 'result', 'Successfully implemented feature'],
      [TaskStatus.FAILED, 'error', 'Test suite failed with 3 errors'],
    ] as const) {
      taskPool.createTask({ title: `to be ${status}`, description: 'feature' });
      const taskId = taskPool.claimTask('agent-1')!.id;
      const before = Date.now();
      if (status === TaskStatus.COMPLETED) {
        // Mark as completed
        taskPool.updateTask(taskId, {
          status: TaskStatus.COMPLETED,
          result: 'Successfully implemented feature',
        });
      } else {
        // Mark as failed
        taskPool.updateTask(taskId, {
          status: TaskStatus.FAILED,
          error: 'Test suite failed with 3 errors',
        });
      }
      const task = taskPool.getTask(taskId)!;
      expect(task).toMatchObject({ status, [field]: text });
      expectEpochMs(task.completedAt, before);
      expect(task.updatedAt).toBe(task.completedAt);
    }
    expect(taskPool.updateTask('550e8400-e29b-41d4-a716-446655440000', { result: 'x' })).toBeNull();
  });

  it('getStats: the reference example’s three lines', () => {
    const taskPool = pools.memory();
    const ids = [0, 1, 2, 3, 4].map((i) => taskPool.createTask({ title: `t${i}`, description: 'w' }).id);
    moveTo(taskPool, ids[0]!, TaskStatus.COMPLETED);
    moveTo(taskPool, ids[1]!, TaskStatus.COMPLETED);
    moveTo(taskPool, ids[2]!, TaskStatus.FAILED);
    moveTo(taskPool, ids[3]!, TaskStatus.IN_PROGRESS);

    const stats = taskPool.getStats();
    console.log(`Progress: ${stats.completed}/${stats.total}`);
    console.log(`Success rate: ${((stats.completed / stats.total) * 100).toFixed(1)}%`);
    console.log(`Active: ${stats.inProgress}, Pending: ${stats.pending}`);

    expect(logs).toEqual(['Progress: 2/5', 'Success rate: 40.0%', 'Active: 1, Pending: 1']);
  });

  it('deleteTask: "Task deleted", then "Task not found"', () => {
    const taskPool = pools.memory();
    const taskId = taskPool.createTask({ title: 't', description: 'w' }).id;
    for (let i = 0; i < 2; i++) {
      if (taskPool.deleteTask(taskId)) {
        console.log('Task deleted');
      } else {
        console.log('Task not found');
      }
    }
    expect(logs).toEqual(['Task deleted', 'Task not found']);
  });

  it('clearAll: every task gone, in every status', () => {
    const taskPool = pools.memory();
    for (const status of Object.values(TaskStatus)) {
      moveTo(taskPool, taskPool.createTask({ title: status, description: 'w' }).id, status);
    }
    taskPool.clearAll();
    console.log('All tasks cleared');
    expect(logs).toEqual(['All tasks cleared']);
    expect(countByStatus(taskPool)).toEqual({});
    expect(taskPool.getStats().total).toBe(0);
  });

  it('close: later calls are refused, closing twice is harmless, the file keeps the tasks', () => {
    const path = join(pools.dir(), 'tasks.db');
    const taskPool = new TaskPool(path);
    taskPool.createTask({ title: 'kept', description: 'survives close' });
    // ... use task pool ...
    taskPool.close(); // Clean up

    taskPool.close();
    expectOmcError(() => taskPool.getTasks(), 'OMC_STORE_CLOSED');
    expectOmcError(() => taskPool.claimTask('agent-1'), 'OMC_STORE_CLOSED');
    expectOmcError(() => taskPool.createTask({ title: 'x', description: 'y' }), 'OMC_STORE_CLOSED');
    expect(
      pools
        .file(path)
        .getTasks()
        .map((task) => task.title),
    ).toEqual(['kept']);
  });
});

describe('guide: Atomic Operations & Concurrency', () => {
  it('Concurrent Task Claiming: 3 agents, 2 pending tasks', () => {
    const taskPool = pools.memory();
    const first = taskPool.createTask({ title: 'task-1', description: 'first' });
    const second = taskPool.createTask({ title: 'task-2', description: 'second' });

    // 3 agents, 2 pending tasks
    const task1 = taskPool.claimTask('agent-A'); // Gets task-1
    const task2 = taskPool.claimTask('agent-B'); // Gets task-2
    const task3 = taskPool.claimTask('agent-C'); // Gets null

    // Each agent gets unique task or null, never the same task
    expect(task1).toMatchObject({ id: first.id, assignedAgent: 'agent-A', status: TaskStatus.CLAIMED });
    expect(task2).toMatchObject({ id: second.id, assignedAgent: 'agent-B', status: TaskStatus.CLAIMED });
    expect(task3).toBeNull();
    expect(taskPool.getTask(first.id)?.assignedAgent).toBe('agent-A');
    expect(taskPool.getTask(second.id)?.assignedAgent).toBe('agent-B');
  });
});

describe('guide: Task Filtering & Querying', () => {
  /** Two agents' work in every status and priority. */
  function seed(taskPool: TaskPool) {
    const make = (title: string, priority: TaskPriority, status: TaskStatus, agent = 'agent-1') =>
      moveTo(taskPool, taskPool.createTask({ title, description: `${title} work`, priority }).id, status, agent);
    make('p-crit', TaskPriority.CRITICAL, TaskStatus.PENDING);
    make('p-low', TaskPriority.LOW, TaskStatus.PENDING);
    make('c1-high', TaskPriority.HIGH, TaskStatus.COMPLETED, 'agent-1');
    make('c2-crit', TaskPriority.CRITICAL, TaskStatus.COMPLETED, 'agent-2');
    make('f1-low', TaskPriority.LOW, TaskStatus.FAILED, 'agent-1');
    make('r1-crit', TaskPriority.CRITICAL, TaskStatus.IN_PROGRESS, 'agent-1');
    make('p-crit-2', TaskPriority.CRITICAL, TaskStatus.PENDING);
    make('c3-med', TaskPriority.MEDIUM, TaskStatus.COMPLETED, 'agent-1');
  }
  const titles = (tasks: Task[]) => tasks.map((task) => task.title);

  it('Basic Filters: by status, by agent, by priority', () => {
    const taskPool = pools.memory();
    seed(taskPool);

    const pending = taskPool.getTasks({ status: TaskStatus.PENDING });
    const completed = taskPool.getTasks({ status: TaskStatus.COMPLETED });
    const failed = taskPool.getTasks({ status: TaskStatus.FAILED });

    const agentTasks = taskPool.getTasks({ assignedAgent: 'agent-1' });

    const critical = taskPool.getTasks({ priority: TaskPriority.CRITICAL });
    const low = taskPool.getTasks({ priority: TaskPriority.LOW });

    expect(titles(pending)).toEqual(['p-crit', 'p-crit-2', 'p-low']);
    expect(titles(completed)).toEqual(['c2-crit', 'c1-high', 'c3-med']);
    expect(titles(failed)).toEqual(['f1-low']);
    expect(titles(agentTasks)).toEqual(['r1-crit', 'c1-high', 'c3-med', 'f1-low']);
    expect(titles(critical)).toEqual(['p-crit', 'c2-crit', 'r1-crit', 'p-crit-2']);
    expect(titles(low)).toEqual(['p-low', 'f1-low']);
  });

  it('Combined Filters: critical pending; an agent’s completed tasks', () => {
    const taskPool = pools.memory();
    seed(taskPool);

    // Critical pending tasks
    const urgentWork = taskPool.getTasks({
      status: TaskStatus.PENDING,
      priority: TaskPriority.CRITICAL,
    });

    // Agent's completed tasks
    const agentDone = taskPool.getTasks({
      assignedAgent: 'agent-1',
      status: TaskStatus.COMPLETED,
    });

    expect(titles(urgentWork)).toEqual(['p-crit', 'p-crit-2']);
    expect(titles(agentDone)).toEqual(['c1-high', 'c3-med']);
  });

  it('Custom Queries: long-running tasks (raw SQL on started_at)', () => {
    const taskPool = pools.memory();
    const old = moveTo(
      taskPool,
      taskPool.createTask({ title: 'old', description: 'stuck' }).id,
      TaskStatus.IN_PROGRESS,
    );
    moveTo(taskPool, taskPool.createTask({ title: 'fresh', description: 'running' }).id, TaskStatus.IN_PROGRESS);
    const oldClaimed = moveTo(
      taskPool,
      taskPool.createTask({ title: 'old-claimed', description: 'not started' }).id,
      TaskStatus.CLAIMED,
    );
    const sixMinutesAgo = Date.now() - 6 * 60 * 1000;
    const setStarted = rawDb(taskPool).prepare('UPDATE tasks SET started_at = ? WHERE id = ?');
    setStarted.run(sixMinutesAgo, old.id);
    setStarted.run(sixMinutesAgo, oldClaimed.id);

    // Tasks taking longer than 5 minutes
    // biome-ignore lint/complexity/useLiteralKeys: the guide reaches the private handle as taskPool['db']
    const longRunning = taskPool['db']
      .prepare(`
  SELECT * FROM tasks
  WHERE status = 'in_progress'
    AND (? - started_at) > 300000
`)
      .all(Date.now());

    expect(longRunning).toEqual([
      expect.objectContaining({
        id: old.id,
        title: 'old',
        status: 'in_progress',
        assigned_agent: 'agent-1',
        started_at: sixMinutesAgo,
      }),
    ]);
  });

  it('Custom Queries: failed tasks with a database error (LIKE is case-insensitive)', () => {
    const taskPool = pools.memory();
    const failWith = (title: string, error: string) => {
      const task = moveTo(taskPool, taskPool.createTask({ title, description: 'w' }).id, TaskStatus.IN_PROGRESS);
      taskPool.updateTask(task.id, { status: TaskStatus.FAILED, error });
    };
    failWith('db-1', 'Database connection failed');
    failWith('timeout', 'Request timed out');
    failWith('db-2', 'lost the database lock');
    moveTo(taskPool, taskPool.createTask({ title: 'ok', description: 'database work' }).id, TaskStatus.COMPLETED);

    // Failed tasks with specific error
    // biome-ignore lint/complexity/useLiteralKeys: the guide reaches the private handle as taskPool['db']
    const dbErrors = taskPool['db']
      .prepare(`
  SELECT * FROM tasks
  WHERE status = 'failed'
    AND error LIKE '%database%'
`)
      .all() as { title: string; error: string; completed_at: number }[];

    expect(dbErrors.map((row) => [row.title, row.error]).sort()).toEqual([
      ['db-1', 'Database connection failed'],
      ['db-2', 'lost the database lock'],
    ]);
    expect(dbErrors.every((row) => typeof row.completed_at === 'number')).toBe(true);
  });

  it('Custom Queries: task counts by agent and priority', () => {
    const taskPool = pools.memory();
    const make = (priority: TaskPriority, status: TaskStatus, agent: string) =>
      moveTo(taskPool, taskPool.createTask({ title: 't', description: 'w', priority }).id, status, agent);
    make(TaskPriority.CRITICAL, TaskStatus.COMPLETED, 'agent-1');
    make(TaskPriority.CRITICAL, TaskStatus.IN_PROGRESS, 'agent-1');
    make(TaskPriority.LOW, TaskStatus.FAILED, 'agent-1');
    make(TaskPriority.HIGH, TaskStatus.CLAIMED, 'agent-2');
    make(TaskPriority.MEDIUM, TaskStatus.COMPLETED, 'agent-2');
    make(TaskPriority.HIGH, TaskStatus.COMPLETED, 'agent-2');
    make(TaskPriority.HIGH, TaskStatus.PENDING, 'nobody'); // pending: no agent
    // A task handed back to PENDING carries no agent any more, so it is not counted.
    const handedBack = make(TaskPriority.CRITICAL, TaskStatus.IN_PROGRESS, 'agent-3');
    taskPool.updateTask(handedBack.id, { status: TaskStatus.PENDING });

    // Top priority tasks by agent
    // biome-ignore lint/complexity/useLiteralKeys: the guide reaches the private handle as taskPool['db']
    const agentPriorities = taskPool['db']
      .prepare(`
  SELECT assigned_agent, priority, COUNT(*) as count
  FROM tasks
  WHERE assigned_agent IS NOT NULL
  GROUP BY assigned_agent, priority
  ORDER BY assigned_agent, priority DESC
`)
      .all();

    expect(agentPriorities).toEqual([
      { assigned_agent: 'agent-1', priority: 3, count: 2 },
      { assigned_agent: 'agent-1', priority: 0, count: 1 },
      { assigned_agent: 'agent-2', priority: 2, count: 2 },
      { assigned_agent: 'agent-2', priority: 1, count: 1 },
    ]);
  });

  describe('Statistics & Aggregations', () => {
    /** 10 tasks: 4 completed, 1 failed, 2 in progress, 1 claimed, 2 pending, over three agents. */
    function seedStats(taskPool: TaskPool) {
      const plan: [TaskStatus, string][] = [
        [TaskStatus.COMPLETED, 'agent-1'],
        [TaskStatus.COMPLETED, 'agent-1'],
        [TaskStatus.COMPLETED, 'agent-2'],
        [TaskStatus.COMPLETED, 'agent-3'],
        [TaskStatus.FAILED, 'agent-2'],
        [TaskStatus.IN_PROGRESS, 'agent-1'],
        [TaskStatus.IN_PROGRESS, 'agent-3'],
        [TaskStatus.CLAIMED, 'agent-2'],
        [TaskStatus.PENDING, ''],
        [TaskStatus.PENDING, ''],
      ];
      plan.forEach(([status, agent], i) => {
        moveTo(taskPool, taskPool.createTask({ title: `t${i}`, description: 'w' }).id, status, agent);
      });
    }

    it('Progress Tracking', () => {
      const taskPool = pools.memory();
      seedStats(taskPool);

      function getProgress() {
        const stats = taskPool.getStats();
        const completed = stats.completed + stats.failed;
        const percentage = ((completed / stats.total) * 100).toFixed(1);

        return {
          completed,
          total: stats.total,
          percentage,
          active: stats.inProgress,
          pending: stats.pending,
        };
      }

      expect(getProgress()).toEqual({ completed: 5, total: 10, percentage: '50.0', active: 2, pending: 2 });
    });

    it('Success Rate (and 0 when nothing finished)', () => {
      const taskPool = pools.memory();

      function getSuccessRate() {
        const stats = taskPool.getStats();
        const finished = stats.completed + stats.failed;
        const rate = finished > 0 ? (stats.completed / finished) * 100 : 0;

        return {
          successRate: rate.toFixed(1),
          completed: stats.completed,
          failed: stats.failed,
        };
      }

      expect(getSuccessRate()).toEqual({ successRate: '0.0', completed: 0, failed: 0 });
      seedStats(taskPool);
      expect(getSuccessRate()).toEqual({ successRate: '80.0', completed: 4, failed: 1 });
    });

    it('Agent Workload', () => {
      const taskPool = pools.memory();
      seedStats(taskPool);

      function getAgentWorkload() {
        const agents = new Map<string, number>();

        const tasks = taskPool.getTasks();
        for (const task of tasks) {
          if (task.assignedAgent) {
            agents.set(task.assignedAgent, (agents.get(task.assignedAgent) || 0) + 1);
          }
        }

        return Array.from(agents.entries()).map(([agent, count]) => ({
          agent,
          taskCount: count,
        }));
      }

      expect(getAgentWorkload()).toEqual([
        { agent: 'agent-1', taskCount: 3 },
        { agent: 'agent-2', taskCount: 3 },
        { agent: 'agent-3', taskCount: 2 },
      ]);
    });
  });
});

describe('guide: Integration with Execution Modes — Custom Integration Example', () => {
  it('producer/consumer on a file: CLAIMED → COMPLETED directly; the loop stops at the first failure', async () => {
    const dbPath = join(pools.dir(), 'tasks.db');
    const taskPool = pools.track(new TaskPool(dbPath));
    const worked: string[] = [];
    const doWork = async (description: string) => {
      worked.push(description);
      await new Promise((resolve) => setImmediate(resolve));
      if (description.includes('broken')) throw new Error(`cannot ${description}`);
    };

    // Producer: Add tasks
    function addWork(description: string) {
      taskPool.createTask({
        title: 'Background work',
        description,
        priority: TaskPriority.LOW,
      });
    }

    // Consumer: Process tasks
    async function processNext(agentName: string) {
      const task = taskPool.claimTask(agentName);
      if (!task) return false;

      try {
        await doWork(task.description);
        taskPool.updateTask(task.id, {
          status: TaskStatus.COMPLETED,
        });
        return true;
      } catch (error) {
        taskPool.updateTask(task.id, {
          status: TaskStatus.FAILED,
          error: (error as Error).message,
        });
        return false;
      }
    }

    addWork('resize images');
    addWork('broken export');
    addWork('send digest');

    // Run consumer loop
    while (await processNext('worker-1')) {
      console.log('Processed task');
    }

    const byDescription = () => new Map(taskPool.getTasks().map((task) => [task.description, task]));
    let tasks = byDescription();
    expect(worked).toEqual(['resize images', 'broken export']);
    expect(logs).toEqual(['Processed task']);
    expect(tasks.get('resize images')).toMatchObject({
      status: TaskStatus.COMPLETED,
      assignedAgent: 'worker-1',
      priority: TaskPriority.LOW,
      result: undefined,
      completedAt: expect.any(Number),
      startedAt: expect.any(Number),
    });
    expect(tasks.get('broken export')).toMatchObject({
      status: TaskStatus.FAILED,
      error: 'cannot broken export',
      completedAt: expect.any(Number),
    });
    expect(tasks.get('send digest')).toMatchObject({ status: TaskStatus.PENDING, assignedAgent: undefined });

    // Run it again: the last task, then no work left.
    while (await processNext('worker-1')) {
      console.log('Processed task');
    }
    tasks = byDescription();
    expect(tasks.get('send digest')?.status).toBe(TaskStatus.COMPLETED);
    expect(logs).toEqual(['Processed task', 'Processed task']);
    expect(taskPool.getStats()).toMatchObject({ total: 3, completed: 2, failed: 1, pending: 0 });
  });
});

describe('guide: Best Practices', () => {
  it('1. Descriptive titles: both the bad and the good example are stored as given', () => {
    const taskPool = pools.memory();
    // ❌ Bad
    taskPool.createTask({
      title: 'Task 1',
      description: '...',
    });

    // ✅ Good
    taskPool.createTask({
      title: 'Implement user login endpoint',
      description: 'Create POST /api/auth/login with JWT authentication',
    });
    expect(taskPool.getTasks().map((task) => [task.title, task.description])).toEqual([
      ['Task 1', '...'],
      ['Implement user login endpoint', 'Create POST /api/auth/login with JWT authentication'],
    ]);
  });

  it('2. Appropriate priorities: as printed, without a description, each create is refused and inserts nothing', () => {
    // The guide's example omits `description`, which its own CreateTaskInput requires.
    const taskPool = pools.memory();
    const attempts = [
      () =>
        // Production bug - CRITICAL
        // @ts-expect-error the guide's example has no description
        taskPool.createTask({
          title: 'Fix memory leak in auth service',
          priority: TaskPriority.CRITICAL,
        }),
      () =>
        // New feature - MEDIUM
        // @ts-expect-error the guide's example has no description
        taskPool.createTask({
          title: 'Add user profile page',
          priority: TaskPriority.MEDIUM,
        }),
      () =>
        // Refactoring - LOW
        // @ts-expect-error the guide's example has no description
        taskPool.createTask({
          title: 'Extract common utilities',
          priority: TaskPriority.LOW,
        }),
    ];
    for (const attempt of attempts) {
      const error = expectOmcError(attempt, 'OMC_INVALID_INPUT');
      expect(error).toMatchObject({ field: 'description' });
    }
    expect(taskPool.getStats().total).toBe(0);
  });

  it('3. Metadata for context: the claiming agent reads it back', () => {
    const taskPool = pools.memory();
    taskPool.createTask({
      title: 'Generate monthly report',
      description: 'Create and email sales report',
      metadata: {
        reportType: 'sales',
        period: '2024-01',
        recipients: ['manager@example.com'],
        format: 'PDF',
        includeCharts: true,
      },
    });

    // Agent can access metadata
    const task = taskPool.claimTask('reporter-agent');
    const config = task!.metadata;

    expect(task).toMatchObject({ title: 'Generate monthly report', assignedAgent: 'reporter-agent' });
    expect(config).toEqual({
      reportType: 'sales',
      period: '2024-01',
      recipients: ['manager@example.com'],
      format: 'PDF',
      includeCharts: true,
    });
  });

  it('4. Handle failures gracefully: nothing to do, a success, and a failure with name, message and stack', async () => {
    const taskPool = pools.memory();
    const pollInterval = 1000;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
    };
    const executeTask = async (task: Task): Promise<string> => {
      if (task.metadata?.explode) throw new TypeError(`cannot read ${task.title}`);
      return `built ${task.title}`;
    };

    async function step(): Promise<void> {
      const task = taskPool.claimTask('agent-1');
      if (!task) {
        // No work available
        await sleep(pollInterval);
        return;
      }

      taskPool.updateTask(task.id, { status: TaskStatus.IN_PROGRESS });

      try {
        const result = await executeTask(task);
        taskPool.updateTask(task.id, {
          status: TaskStatus.COMPLETED,
          result,
        });
      } catch (error) {
        // Store detailed error
        const e = error as Error;
        taskPool.updateTask(task.id, {
          status: TaskStatus.FAILED,
          error: `${e.name}: ${e.message}\n${e.stack}`,
        });
      }
    }

    await step();
    expect(sleeps).toEqual([1000]);

    const good = taskPool.createTask({ title: 'api', description: 'build the api', priority: TaskPriority.HIGH });
    const bad = taskPool.createTask({ title: 'ui', description: 'build the ui', metadata: { explode: true } });
    await step();
    await step();
    await step();

    expect(sleeps).toEqual([1000, 1000]);
    expect(taskPool.getTask(good.id)).toMatchObject({ status: TaskStatus.COMPLETED, result: 'built api' });
    const failed = taskPool.getTask(bad.id)!;
    expect(failed.status).toBe(TaskStatus.FAILED);
    expect(failed.error).toMatch(/^TypeError: cannot read ui\nTypeError: cannot read ui\n\s+at /);
  });

  it('5. Persist important tasks: the file pool keeps its tasks across a reopen, the in-memory one does not', () => {
    const path = join(pools.dir(), 'tasks.db');

    // ❌ In-memory: Lost on crash
    const tempPool = new TaskPool();

    // ✅ Persistent: Survives crashes
    const persistentPool = new TaskPool(path);

    tempPool.createTask({ title: 'temp', description: 'lost' });
    persistentPool.createTask({ title: 'kept', description: 'survives', priority: TaskPriority.HIGH });
    tempPool.close();
    persistentPool.close();

    expect(pools.memory().getTasks()).toEqual([]);
    expect(pools.file(path).getTasks()).toEqual([
      expect.objectContaining({ title: 'kept', priority: TaskPriority.HIGH, status: TaskStatus.PENDING }),
    ]);
  });

  it('6. Clean up resources: the pool is closed in finally, whether the work throws or succeeds', async () => {
    const path = join(pools.dir(), 'tasks.db');
    const seed = pools.track(new TaskPool(path));
    seed.createTasks([
      { title: 'a', description: 'first', priority: TaskPriority.HIGH },
      { title: 'b', description: 'second' },
    ]);
    seed.close();

    for (const failing of [true, false]) {
      const taskPool = new TaskPool(path);
      const processAllTasks = async () => {
        for (let task = taskPool.claimTask('agent-1'); task; task = taskPool.claimTask('agent-1')) {
          if (failing) throw new Error('crashed mid-way');
          taskPool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'ok' });
        }
      };

      const run = async () => {
        try {
          // Use task pool
          await processAllTasks();
        } finally {
          // Always close
          taskPool.close();
        }
      };
      if (failing) await expect(run()).rejects.toThrow('crashed mid-way');
      else await run();

      expectOmcError(() => taskPool.getStats(), 'OMC_STORE_CLOSED');
    }
    // The crashed run left its claim behind (claimed, persisted); the second run completed the other task.
    const after = pools.file(path);
    expect(after.getStats()).toMatchObject({ total: 2, claimed: 1, completed: 1 });
    expect(after.getTasks().map((task) => [task.title, task.status])).toEqual([
      ['a', TaskStatus.CLAIMED],
      ['b', TaskStatus.COMPLETED],
    ]);
  });

  describe('7. Monitor progress', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('the interval body prints progress, activity and outcomes', () => {
      const taskPool = pools.memory();
      const ids = Array.from({ length: 8 }, (_, i) => taskPool.createTask({ title: `t${i}`, description: 'w' }).id);
      moveTo(taskPool, ids[0]!, TaskStatus.COMPLETED);
      moveTo(taskPool, ids[1]!, TaskStatus.COMPLETED);
      moveTo(taskPool, ids[2]!, TaskStatus.COMPLETED);
      moveTo(taskPool, ids[3]!, TaskStatus.FAILED);
      moveTo(taskPool, ids[4]!, TaskStatus.IN_PROGRESS);
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });

      const timer = setInterval(() => {
        const stats = taskPool.getStats();
        const progress = (((stats.completed + stats.failed) / stats.total) * 100).toFixed(1);

        console.log(`Progress: ${progress}%`);
        console.log(`Active: ${stats.inProgress}, Pending: ${stats.pending}`);
        console.log(`Success: ${stats.completed}, Failed: ${stats.failed}`);
      }, 5000);

      vi.advanceTimersByTime(4999);
      expect(logs).toEqual([]);
      vi.advanceTimersByTime(1);
      clearInterval(timer);
      expect(logs).toEqual(['Progress: 50.0%', 'Active: 1, Pending: 3', 'Success: 3, Failed: 1']);
    });
  });

  it('10. Archive completed tasks: old finished rows go to a JSONL file and leave the pool; stats stay right', () => {
    const dir = pools.dir();
    const archivePath = join(dir, 'archived-tasks.jsonl');
    const eightDaysAgo = Date.now() - 8 * 24 * 60 * 60 * 1000;
    const clock = new FakeClock(eightDaysAgo);
    const taskPool = pools.file(join(dir, 'tasks.db'), { clock });

    const make = (title: string, status: TaskStatus) =>
      moveTo(taskPool, taskPool.createTask({ title, description: 'w' }).id, status);
    // Eight days ago: these finished ones are archived; the rest stay.
    const oldDone = [make('old-completed-1', TaskStatus.COMPLETED), make('old-completed-2', TaskStatus.COMPLETED)];
    const oldFailed = make('old-failed', TaskStatus.FAILED);
    make('old-cancelled', TaskStatus.CANCELLED);
    make('old-in-progress', TaskStatus.IN_PROGRESS);
    make('old-pending', TaskStatus.PENDING);
    make('old-claimed', TaskStatus.CLAIMED);
    clock.set(Date.now());
    make('recent-completed', TaskStatus.COMPLETED);
    make('recent-failed', TaskStatus.FAILED);
    make('recent-pending', TaskStatus.PENDING);
    expect(taskPool.getStats()).toEqual({
      total: 10,
      pending: 2,
      claimed: 1,
      inProgress: 1,
      completed: 3,
      failed: 2,
      cancelled: 1,
    });

    // Periodically clean up old completed tasks
    function archiveOldTasks() {
      const sevenDaysAgo = Date.now() - 7 * 24 * 60 * 60 * 1000;

      // biome-ignore lint/complexity/useLiteralKeys: the guide reaches the private handle as taskPool['db']
      const oldTasks = taskPool['db']
        .prepare(`
    SELECT * FROM tasks
    WHERE (status = 'completed' OR status = 'failed')
      AND completed_at < ?
  `)
        .all(sevenDaysAgo);

      // Archive to separate storage
      fs.appendFileSync(archivePath, `${oldTasks.map((t) => JSON.stringify(t)).join('\n')}\n`);

      // Delete from active pool
      // biome-ignore lint/complexity/useLiteralKeys: the guide reaches the private handle as taskPool['db']
      taskPool['db']
        .prepare(`
    DELETE FROM tasks
    WHERE (status = 'completed' OR status = 'failed')
      AND completed_at < ?
  `)
        .run(sevenDaysAgo);

      console.log(`Archived ${oldTasks.length} old tasks`);
    }

    archiveOldTasks();

    expect(logs).toEqual(['Archived 3 old tasks']);
    const archived = readFileSync(archivePath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(archived.map((row) => row.id).sort()).toEqual([...oldDone, oldFailed].map((task) => task.id).sort());
    expect(archived.find((row) => row.id === oldFailed.id)).toMatchObject({
      title: 'old-failed',
      status: 'failed',
      assigned_agent: 'agent-1',
      completed_at: expect.any(Number),
    });
    for (const task of [...oldDone, oldFailed]) expect(taskPool.getTask(task.id)).toBeNull();
    expect(
      taskPool
        .getTasks()
        .map((task) => task.title)
        .sort(),
    ).toEqual([
      'old-cancelled',
      'old-claimed',
      'old-in-progress',
      'old-pending',
      'recent-completed',
      'recent-failed',
      'recent-pending',
    ]);

    // The counters are kept by triggers, so the raw DELETE is counted too.
    const expected = { total: 7, pending: 2, claimed: 1, inProgress: 1, completed: 1, failed: 1, cancelled: 1 };
    expect(taskPool.getStats()).toEqual(expected);
    expect(statsFromRows(taskPool)).toEqual(expected);

    // Archiving again finds nothing more (and appends only an empty line).
    archiveOldTasks();
    expect(logs).toEqual(['Archived 3 old tasks', 'Archived 0 old tasks']);
    expect(taskPool.getStats()).toEqual(expected);
  });

  describe('11. Retry logic', () => {
    function setUp(failures: number) {
      const taskPool = pools.memory();
      const sleeps: number[] = [];
      const sleep = async (ms: number) => {
        sleeps.push(ms);
      };
      let calls = 0;
      const agent = {
        async execute(task: Task): Promise<string> {
          calls++;
          if (calls <= failures) throw new Error(`attempt ${calls} of ${task.title} timed out`);
          return `done after ${calls}`;
        },
      };

      async function executeWithRetry(task: Task, maxRetries = 3) {
        for (let attempt = 1; attempt <= maxRetries; attempt++) {
          try {
            const result = await agent.execute(task);

            taskPool.updateTask(task.id, {
              status: TaskStatus.COMPLETED,
              result,
              metadata: { ...task.metadata, attempts: attempt },
            });
            return;
          } catch (error) {
            if (attempt === maxRetries) {
              taskPool.updateTask(task.id, {
                status: TaskStatus.FAILED,
                error: `Failed after ${maxRetries} attempts: ${(error as Error).message}`,
                metadata: { ...task.metadata, attempts: attempt },
              });
            } else {
              await sleep(1000 * attempt); // Exponential backoff
            }
          }
        }
      }

      taskPool.createTask({ title: 'flaky', description: 'calls a flaky API', metadata: { endpoint: '/v1/x' } });
      const task = taskPool.claimTask('agent-1')!;
      taskPool.updateTask(task.id, { status: TaskStatus.IN_PROGRESS });
      return { taskPool, task, sleeps, executeWithRetry };
    }

    it('succeeds on the third attempt after backing off 1 s then 2 s', async () => {
      const { taskPool, task, sleeps, executeWithRetry } = setUp(2);
      await executeWithRetry(task);
      expect(sleeps).toEqual([1000, 2000]);
      expect(taskPool.getTask(task.id)).toMatchObject({
        status: TaskStatus.COMPLETED,
        result: 'done after 3',
        metadata: { endpoint: '/v1/x', attempts: 3 },
      });
    });

    it('fails for good after three attempts, with the last error and the attempt count', async () => {
      const { taskPool, task, sleeps, executeWithRetry } = setUp(99);
      await executeWithRetry(task);
      expect(sleeps).toEqual([1000, 2000]);
      expect(taskPool.getTask(task.id)).toMatchObject({
        status: TaskStatus.FAILED,
        error: 'Failed after 3 attempts: attempt 3 of flaky timed out',
        metadata: { endpoint: '/v1/x', attempts: 3 },
        completedAt: expect.any(Number),
      });
    });
  });

  it('12. Validate task results: a structured JSON result is stored and read back', () => {
    const taskPool = pools.memory();
    taskPool.createTask({ title: 'Implement search', description: 'Full-text search endpoint' });
    const task = taskPool.claimTask('agent-1')!;
    const startTime = performance.now();
    const result = { content: 'search endpoint added', usage: { total_tokens: 1234 } };

    taskPool.updateTask(task.id, {
      status: TaskStatus.COMPLETED,
      result: JSON.stringify({
        output: result,
        validation: {
          testsPass: true,
          lintPass: true,
          buildSuccess: true,
        },
        metrics: {
          duration: performance.now() - startTime,
          tokensUsed: result.usage?.total_tokens,
        },
      }),
    });

    const stored = taskPool.getTask(task.id)!;
    expect(stored.status).toBe(TaskStatus.COMPLETED);
    const parsed = JSON.parse(stored.result!);
    expect(parsed).toEqual({
      output: { content: 'search endpoint added', usage: { total_tokens: 1234 } },
      validation: { testsPass: true, lintPass: true, buildSuccess: true },
      metrics: { duration: expect.any(Number), tokensUsed: 1234 },
    });
    expect(parsed.metrics.duration).toBeGreaterThanOrEqual(0);
  });
});
