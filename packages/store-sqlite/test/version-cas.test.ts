/**
 * updateTask decides on a row it read (or remembered from its own claim) and writes with a
 * compare-and-set on the row's version. These tests change the row behind the pool's back — through a
 * second connection and through raw SQL — and check that the pool re-reads instead of overwriting.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type TaskPool, TaskStatus } from '../src/index.js';
import { expectOmcError, rawDb, usePools } from './helpers.js';

const pools = usePools();

function twoConnections(): [TaskPool, TaskPool] {
  const path = join(pools.dir(), 'shared.db');
  return [pools.file(path), pools.file(path)];
}

describe('updateTask after the row changed elsewhere', () => {
  it('keeps a metadata change made by another connection after the claim', () => {
    const [worker, operator] = twoConnections();
    const created = worker.createTask({ title: 't', description: 'd', metadata: { step: 0 } });
    worker.claimTask('agent-1');
    operator.updateTask(created.id, { metadata: { step: 1, note: 'from the operator' } });

    const done = worker.updateTask(created.id, { status: TaskStatus.COMPLETED, result: 'ok' });
    expect(done).toMatchObject({
      status: TaskStatus.COMPLETED,
      result: 'ok',
      metadata: { step: 1, note: 'from the operator' },
    });
    expect(operator.getTask(created.id)).toEqual(done);
  });

  it('refuses a completion when another connection sent the task back to pending', () => {
    const [worker, operator] = twoConnections();
    const created = worker.createTask({ title: 't', description: 'd' });
    worker.claimTask('agent-1');
    operator.updateTask(created.id, { status: TaskStatus.PENDING });

    expectOmcError(() => worker.updateTask(created.id, { status: TaskStatus.COMPLETED }), 'OMC_INVALID_TRANSITION');
    expect(operator.getTask(created.id)).toMatchObject({ status: TaskStatus.PENDING, assignedAgent: undefined });
  });

  it('sees a change made with raw SQL, which bumps the version through a trigger', () => {
    const pool = pools.memory();
    const created = pool.createTask({ title: 't', description: 'd' });
    pool.claimTask('agent-1');
    const before = rawDb(pool).prepare('SELECT version FROM tasks WHERE id = ?').pluck().get(created.id) as number;
    rawDb(pool).prepare(`UPDATE tasks SET assigned_agent = 'agent-2' WHERE id = ?`).run(created.id);
    expect(rawDb(pool).prepare('SELECT version FROM tasks WHERE id = ?').pluck().get(created.id)).toBe(before + 1);

    const started = pool.updateTask(created.id, { status: TaskStatus.IN_PROGRESS });
    expect(started).toMatchObject({ status: TaskStatus.IN_PROGRESS, assignedAgent: 'agent-2' });
    expect(pool.getTask(created.id)).toEqual(started);
  });

  it('returns null once another connection deleted the task', () => {
    const [worker, operator] = twoConnections();
    const created = worker.createTask({ title: 't', description: 'd' });
    worker.claimTask('agent-1');
    expect(operator.deleteTask(created.id)).toBe(true);
    expect(worker.updateTask(created.id, { status: TaskStatus.COMPLETED })).toBeNull();
  });

  it('bumps the version on every write, so each compare-and-set sees the one before', () => {
    const pool = pools.memory();
    const created = pool.createTask({ title: 't', description: 'd' });
    const version = () => rawDb(pool).prepare('SELECT version FROM tasks WHERE id = ?').pluck().get(created.id);
    expect(version()).toBe(0);
    pool.claimTask('agent-1');
    expect(version()).toBe(1);
    pool.updateTask(created.id, { status: TaskStatus.IN_PROGRESS });
    pool.updateTask(created.id, { metadata: { progress: 50 } });
    pool.updateTask(created.id, { status: TaskStatus.COMPLETED, result: 'ok' });
    expect(version()).toBe(4);
  });
});
