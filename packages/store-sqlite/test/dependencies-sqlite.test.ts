/**
 * What only the SQLite pool can show about dependencies: a completion of a task nobody waits for stays
 * one statement; the edges table holds what it should; long chains and diamonds cancel in one
 * statement; a retried dependant counts again what it waits for; a delayed dependant whose time has come
 * is claimable the moment its last dependency completes.
 */
import { FakeClock } from '@omc/core/testing';
import { describe, expect, it } from 'vitest';
import { newTaskId, type Task, TaskStatus } from '../src/index.js';
import { rawDb, statsFromRows, usePools } from './helpers.js';

const pools = usePools();
const START = Date.UTC(2026, 5, 1);

interface Spied {
  readonly source: string;
  run(...args: unknown[]): unknown;
  get(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown;
}

/** The names of the pool's prepared statements that `work` runs, in order of first use. */
function statementsRunBy(pool: unknown, work: () => unknown): string[] {
  // The driver's private statements: the pool's storage lives in its driver.
  const statements = (pool as { driver: { statements: Record<string, Spied> } }).driver.statements;
  const used: string[] = [];
  const restore: (() => void)[] = [];
  for (const [name, statement] of Object.entries(statements)) {
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method];
      statement[method] = (...args: unknown[]) => {
        if (!used.includes(name)) used.push(name);
        return original.apply(statement, args);
      };
      restore.push(() => {
        statement[method] = original;
      });
    }
  }
  try {
    work();
  } finally {
    for (const undo of restore) undo();
  }
  return used;
}

/** The edges table, as `dependency → dependant` pairs, sorted. */
function edges(pool: unknown): string[] {
  const rows = rawDb(pool as never)
    .prepare('select depends_on_id, task_id from task_dependencies order by depends_on_id, task_id')
    .all() as { depends_on_id: string; task_id: string }[];
  return rows.map((row) => `${row.depends_on_id} → ${row.task_id}`).sort();
}

function waitingOn(pool: unknown, id: string): number {
  return (
    rawDb(pool as never)
      .prepare('select waiting_on from tasks where id = ?')
      .get(id) as { waiting_on: number }
  ).waiting_on;
}

describe('a completion', () => {
  it('of a task nobody waits for is one statement; with dependants, it also releases them', () => {
    const pool = pools.memory();
    const [lonely, depended] = pool.createTasks([
      { title: 'lonely', description: 'd' },
      { title: 'depended on', description: 'd' },
    ]) as [Task, Task];
    pool.createTask({ title: 'dependant', description: 'd', dependsOn: [depended.id] });
    const [first, second] = pool.claimTasks('agent-1', 2) as [Task, Task];
    expect([first.id, second.id]).toEqual([lonely.id, depended.id]);

    expect(statementsRunBy(pool, () => pool.completeTask(first, 'ok'))).toEqual(['complete']);
    expect(statementsRunBy(pool, () => pool.completeTask(second, 'ok'))).toEqual([
      'complete',
      'completeWithDependants',
      'releaseDependants',
    ]);
    expect(pool.claimTask('agent-2')?.title).toBe('dependant');
  });

  it('through updateTask (the guide’s path) also releases dependants, and only when there are some', () => {
    const pool = pools.memory();
    const [lonely, depended] = pool.createTasks([
      { title: 'lonely', description: 'd' },
      { title: 'depended on', description: 'd' },
    ]) as [Task, Task];
    const dependant = pool.createTask({ title: 'dependant', description: 'd', dependsOn: [depended.id] });
    pool.claimTasks('agent-1', 2);
    const complete = (id: string) => () => pool.updateTask(id, { status: TaskStatus.COMPLETED, result: 'ok' });
    expect(statementsRunBy(pool, complete(lonely.id))).toEqual(['writePlanned']);
    expect(statementsRunBy(pool, complete(depended.id))).toEqual(['writePlanned', 'releaseDependants']);
    expect(waitingOn(pool, dependant.id)).toBe(0);
    expect(pool.claimTask('agent-2')?.id).toBe(dependant.id);
  });
});

describe('the dependency table', () => {
  it('holds one edge per dependency not yet completed, and loses a task’s edges with it', () => {
    const pool = pools.memory();
    const [a, b, c] = pool.createTasks([
      { title: 'a', description: 'd' },
      { title: 'b', description: 'd' },
      { title: 'c', description: 'd' },
    ]) as [Task, Task, Task];
    pool.completeTask(pool.claimTask('agent-1')!, 'a is done');
    const x = pool.createTask({ title: 'x', description: 'd', dependsOn: [a.id, b.id, c.id] });
    const y = pool.createTask({ title: 'y', description: 'd', dependsOn: [x.id, c.id] });
    expect(edges(pool)).toEqual(
      [`${b.id} → ${x.id}`, `${c.id} → ${x.id}`, `${c.id} → ${y.id}`, `${x.id} → ${y.id}`].sort(),
    );
    expect(waitingOn(pool, x.id)).toBe(2);
    expect(pool.getTask(x.id)?.dependsOn).toEqual([a.id, b.id, c.id]);

    // Deleting x (unfinished) cancels y and takes x's edges, both ways, with it.
    expect(pool.deleteTask(x.id)).toBe(true);
    expect(pool.getTask(y.id)).toMatchObject({ status: TaskStatus.CANCELLED, error: `dependency ${x.id} was deleted` });
    expect(edges(pool)).toEqual([`${c.id} → ${y.id}`]);
    pool.clearAll();
    expect(edges(pool)).toEqual([]);
  });

  it('keeps a dependant’s place in line once it is released: priority and age, not release time', () => {
    const clock = new FakeClock(START);
    const pool = pools.memory({ clock });
    const blocker = pool.createTask({ title: 'blocker', description: 'd' });
    const early = pool.createTask({ title: 'early', description: 'd', dependsOn: [blocker.id] });
    clock.advance(10);
    const late = pool.createTask({ title: 'late', description: 'd' });
    expect(pool.getTasks({ status: TaskStatus.PENDING }).map((task) => task.title)).toEqual([
      'blocker',
      'early',
      'late',
    ]);
    pool.completeTask(pool.claimTask('agent-1')!, 'ok');
    expect(pool.claimTasks('agent-1', 5).map((task) => task.id)).toEqual([early.id, late.id]);
  });
});

describe('the cancel cascade', () => {
  it('cancels a chain of 300 tasks in one statement, each naming the one before it', () => {
    const clock = new FakeClock(START);
    const pool = pools.memory({ clock });
    const ids = Array.from({ length: 301 }, () => newTaskId());
    pool.createTasks(
      ids.map((id, i) => ({
        id,
        title: `link ${i}`,
        description: 'd',
        ...(i > 0 ? { dependsOn: [ids[i - 1]!] } : {}),
      })),
    );
    clock.advance(5);
    const used = statementsRunBy(pool, () => pool.cancelTask(ids[0]!, { reason: 'abandoned' }));
    expect(used).toEqual(['selectById', 'writePlanned', 'cancelDependants']);
    for (let i = 1; i < ids.length; i++) {
      const cause = i === 1 ? `dependency ${ids[0]} was cancelled` : `dependency ${ids[i - 1]} was cancelled`;
      expect(pool.getTask(ids[i]!)).toMatchObject({ status: TaskStatus.CANCELLED, error: cause, updatedAt: START + 5 });
    }
    expect(pool.getTaskHistory(ids[300]!).at(-1)).toMatchObject({
      from: TaskStatus.PENDING,
      to: TaskStatus.CANCELLED,
      at: START + 5,
      reason: `dependency ${ids[299]} was cancelled`,
    });
    expect(pool.getStats()).toMatchObject({ cancelled: 301, pending: 0 });
    expect(pool.getStats()).toEqual(statsFromRows(pool));
  });

  it('cancels each task of a diamond once, the one reached two ways naming the failure nearest the root', () => {
    const pool = pools.memory({ maxAttempts: 1 });
    const [a, b, c] = ['a', 'b', 'c'].map(() => newTaskId()) as [string, string, string];
    const [, , , d, e] = pool.createTasks([
      { id: a, title: 'a', description: 'd' },
      { id: b, title: 'b', description: 'd', dependsOn: [a] },
      { id: c, title: 'c', description: 'd', dependsOn: [a] },
      { title: 'd', description: 'd', dependsOn: [b, c] },
      { title: 'e', description: 'd', dependsOn: [b, a] },
    ]) as Task[];
    pool.failTask(pool.claimTask('agent-1')!, 'boom');
    expect(pool.getTask(d!.id)?.error).toMatch(new RegExp(`^dependency (${b}|${c}) was cancelled$`));
    expect(pool.getTask(e!.id)?.error).toBe(`dependency ${a} failed`);
    for (const id of [b, c, d!.id, e!.id]) {
      const history = pool.getTaskHistory(id);
      expect(history.map((step) => step.to)).toEqual([TaskStatus.CANCELLED]);
    }
  });

  it('cancels a dependant that an operator put in progress: its holder learns at its next write', () => {
    const pool = pools.memory();
    const dependency = pool.createTask({ title: 'dependency', description: 'd' });
    const dependant = pool.createTask({ title: 'dependant', description: 'd', dependsOn: [dependency.id] });
    const forced = pool.updateTask(dependant.id, { status: TaskStatus.CLAIMED, assignedAgent: 'operator' })!;
    pool.cancelTask(dependency.id);
    expect(pool.getTask(dependant.id)).toMatchObject({ status: TaskStatus.CANCELLED, leaseExpiresAt: undefined });
    expect(() => pool.heartbeat(forced)).toThrow(expect.objectContaining({ reason: 'cancelled' }));
    expect(pool.getTaskHistory(dependant.id).at(-1)).toMatchObject({
      from: TaskStatus.CLAIMED,
      to: TaskStatus.CANCELLED,
      agent: 'operator',
    });
  });
});

describe('a retried dependant', () => {
  it('waits again for those of its dependencies that are not COMPLETED, and runs once they are', () => {
    const pool = pools.memory();
    const [x, y] = pool.createTasks([
      { title: 'x', description: 'd' },
      { title: 'y', description: 'd' },
    ]) as [Task, Task];
    const dependant = pool.createTask({ title: 'dependant', description: 'd', dependsOn: [x.id, y.id] });
    pool.cancelTask(y.id);
    expect(pool.getTask(dependant.id)?.status).toBe(TaskStatus.CANCELLED);

    expect(pool.retryTask(dependant.id)?.status).toBe(TaskStatus.PENDING);
    expect(waitingOn(pool, dependant.id)).toBe(2);
    pool.retryTask(y.id);
    const [heldX, heldY] = pool.claimTasks('agent-1', 10) as [Task, Task];
    expect([heldX.id, heldY.id]).toEqual([x.id, y.id]);
    pool.completeTasks([{ lease: heldX }]);
    expect(pool.claimTask('agent-1')).toBeNull();
    pool.completeTasks([{ lease: heldY }]);
    expect(pool.claimTask('agent-1')?.id).toBe(dependant.id);
  });
});

describe('a delayed dependant', () => {
  it('waits for both its time and its dependencies, whichever comes last', () => {
    const clock = new FakeClock(START);
    const pool = pools.memory({ clock });
    const [soon, later] = pool.createTasks([
      { title: 'soon', description: 'd' },
      { title: 'later', description: 'd' },
    ]) as [Task, Task];
    const timed = pool.createTask({ title: 'timed', description: 'd', runAt: START + 1_000, dependsOn: [soon.id] });
    const gated = pool.createTask({ title: 'gated', description: 'd', runAt: START + 1_000, dependsOn: [later.id] });
    const [heldSoon, heldLater] = pool.claimTasks('agent-1', 5) as [Task, Task];
    expect([heldSoon.id, heldLater.id]).toEqual([soon.id, later.id]);

    // Released before its time: it waits for runAt.
    pool.completeTask(heldSoon);
    expect(pool.claimTask('agent-1')).toBeNull();
    clock.set(START + 1_000);
    expect(pool.claimTask('agent-1')?.id).toBe(timed.id);

    // Released after its time: claimable at once, even within the millisecond of the last upkeep check.
    expect(pool.claimTask('agent-1')).toBeNull();
    pool.completeTask(heldLater);
    expect(pool.claimTask('agent-1')?.id).toBe(gated.id);
    expect(pool.getStats()).toEqual(statsFromRows(pool));
  });
});
