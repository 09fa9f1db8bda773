/**
 * What only the SQLite pool can show about leases: a database written before leases (schema v1) is
 * upgraded in place and its held tasks get leases; raw SQL status changes enter the history; delayed
 * tasks stay out of the claim index until due; a claim checks for upkeep at most once per millisecond.
 */
import { join } from 'node:path';
import { FakeClock } from '@omc/core/testing';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_POLICY, TaskStatus } from '../src/index.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/migrations.js';
import { forkFixture } from './child-processes.js';
import { rawDb, usePools } from './helpers.js';

const pools = usePools();
const START = Date.UTC(2026, 5, 1);

/** A file as omc wrote it before leases: schema v1 only, with one task in each given state. */
function writeVersion1Database(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const statement of MIGRATIONS[0]!.statements) db.exec(statement);
  db.pragma('application_id = 0x6f6d6321');
  db.pragma('user_version = 1');
  const insert = db.prepare(
    `insert into tasks (id, title, description, status, priority, assigned_agent, created_at, updated_at, started_at, completed_at, result)
     values (?, ?, 'd', ?, 1, ?, ?, ?, ?, ?, ?)`,
  );
  insert.run('old-pending', 'pending', 'pending', null, START - 10_000, START - 10_000, null, null, null);
  insert.run(
    'old-claimed',
    'claimed',
    'claimed',
    'dead-agent',
    START - 9_000,
    START - 8_000,
    START - 8_000,
    null,
    null,
  );
  insert.run(
    'old-done',
    'done',
    'completed',
    'agent',
    START - 7_000,
    START - 6_000,
    START - 6_500,
    START - 6_000,
    'ok',
  );
  db.close();
}

describe('a database from before leases (schema v1)', () => {
  it('is upgraded in place: data kept, held tasks leased from their last change, then reclaimed', () => {
    const path = join(pools.dir(), 'v1.db');
    writeVersion1Database(path);
    const clock = new FakeClock(START);
    const pool = pools.file(path, { clock });
    expect(rawDb(pool).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);

    const claimed = pool.getTask('old-claimed')!;
    expect(claimed).toMatchObject({ status: TaskStatus.CLAIMED, attempts: 1, leaseToken: 1 });
    expect(claimed.leaseExpiresAt).toBe(START - 8_000 + DEFAULT_LEASE_POLICY.leaseMs);
    expect(claimed.maxAttempts).toBe(DEFAULT_LEASE_POLICY.maxAttempts);
    expect(pool.getTask('old-done')).toMatchObject({ status: TaskStatus.COMPLETED, result: 'ok', attempts: 1 });
    expect(pool.getTask('old-pending')).toMatchObject({ status: TaskStatus.PENDING, attempts: 0, leaseToken: 0 });
    expect(pool.getStats()).toMatchObject({ total: 3, pending: 1, claimed: 1, completed: 1 });

    // The old pending task is claimable as usual; the dead agent's task only once its lease ran out.
    expect(pool.claimTask('new-agent')?.id).toBe('old-pending');
    expect(pool.claimTask('new-agent')).toBeNull();
    clock.set(claimed.leaseExpiresAt!);
    const retaken = pool.claimTask('new-agent')!;
    expect(retaken).toMatchObject({ id: 'old-claimed', attempts: 2, leaseToken: 2 });
    expect(pool.getTaskHistory('old-claimed').map((step) => [step.from, step.to, step.agent, step.at])).toEqual([
      [TaskStatus.PENDING, TaskStatus.CLAIMED, 'dead-agent', START - 8_000],
      [TaskStatus.CLAIMED, TaskStatus.PENDING, 'dead-agent', claimed.leaseExpiresAt],
      [TaskStatus.PENDING, TaskStatus.CLAIMED, 'new-agent', claimed.leaseExpiresAt],
    ]);
  });
});

describe('history and raw SQL', () => {
  it('records a status change made with raw SQL, and the pool’s next change after it', () => {
    const clock = new FakeClock(START);
    const pool = pools.memory({ clock });
    const task = pool.createTask({ title: 'a', description: 'b' });
    const claimed = pool.claimTask('agent-1')!;
    const before = Date.now();
    rawDb(pool).prepare("update tasks set status = 'pending', assigned_agent = null where id = ?").run(task.id);
    const after = Date.now();
    // The holder's lease is gone with the raw change: its token no longer matches a held task.
    expect(() => pool.completeTask(claimed, 'late')).toThrow(expect.objectContaining({ code: 'OMC_LEASE_LOST' }));
    const again = pool.claimTask('agent-2')!;
    expect(again.leaseToken).toBe(2);
    const history = pool.getTaskHistory(task.id);
    expect(history.map((step) => [step.from, step.to, step.agent, step.reason])).toEqual([
      [TaskStatus.PENDING, TaskStatus.CLAIMED, 'agent-1', undefined],
      [TaskStatus.CLAIMED, TaskStatus.PENDING, 'agent-1', 'changed by direct SQL'],
      [TaskStatus.PENDING, TaskStatus.CLAIMED, 'agent-2', undefined],
    ]);
    // A raw change has no clock of the pool's: it is stamped with the wall clock.
    expect(history[1]!.at).toBeGreaterThanOrEqual(before);
    expect(history[1]!.at).toBeLessThanOrEqual(after + 1);
  });

  it('gives a task that raw SQL makes CLAIMED a lease (so it cannot stay held forever) and takes it away again', () => {
    const clock = new FakeClock(START);
    const pool = pools.memory({ clock, leaseMs: 1_000 });
    const task = pool.createTask({ title: 'a', description: 'b', leaseMs: 60_000 });
    const before = Date.now();
    rawDb(pool).prepare("update tasks set status = 'claimed', assigned_agent = 'script' where id = ?").run(task.id);
    const held = pool.getTask(task.id)!;
    // Stamped from the wall clock (raw SQL has no pool clock) plus the task's own lease length.
    expect(held.leaseExpiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(held.leaseExpiresAt).toBeLessThanOrEqual(Date.now() + 60_000 + 1);
    clock.set(held.leaseExpiresAt!);
    expect(pool.reclaimExpired()).toEqual({ requeued: 1, failed: 0 });
    expect(pool.getTask(task.id)).toMatchObject({ status: TaskStatus.PENDING, leaseExpiresAt: undefined });
    const claimed = pool.claimTask('agent-1')!;
    rawDb(pool).prepare("update tasks set status = 'pending', assigned_agent = null where id = ?").run(claimed.id);
    expect(pool.getTask(task.id)?.leaseExpiresAt).toBeUndefined();
  });

  it('deleting a task removes its history with it, and a new task under a reused rowid starts clean', () => {
    const pool = pools.memory();
    const first = pool.createTask({ title: 'a', description: 'b' });
    pool.claimTask('agent-1');
    pool.deleteTask(first.id);
    const second = pool.createTask({ title: 'c', description: 'd' });
    expect(pool.getTaskHistory(first.id)).toEqual([]);
    expect(pool.getTaskHistory(second.id)).toEqual([]);
  });
});

describe('idempotency keys across processes', () => {
  it('gives every process the same task for a key when 6 processes create 50 keyed tasks at one instant', async () => {
    const path = join(pools.dir(), 'keys.db');
    pools.file(path).close();
    const KEYS = 50;
    const children = Array.from({ length: 6 }, (_, i) =>
      forkFixture('create-keyed.mjs', [path, `p${i}`, String(KEYS)]),
    );
    await Promise.all(children.map((child) => child.nextMessage()));
    const startAt = Date.now() + 50;
    for (const child of children) child.process.send({ startAt });
    const done = (await Promise.all(children.map((child) => child.nextMessage()))) as { ids: string[] }[];
    const results = await Promise.all(children.map((child) => child.result));
    for (const result of results) {
      expect(result.stderr, `process ${result.pid} wrote to stderr`).toBe('');
      expect(result.code).toBe(0);
    }
    const pool = pools.file(path);
    expect(pool.getStats().total).toBe(KEYS);
    // Every process got, for each key, the one task that holds it.
    for (const { ids } of done) expect(ids).toEqual(done[0]!.ids);
    expect(new Set(done[0]!.ids).size).toBe(KEYS);
    for (const [i, id] of done[0]!.ids.entries()) expect(pool.getTask(id)?.idempotencyKey).toBe(`job-${i}`);
  }, 60_000);
});

describe('delayed tasks and the claim index', () => {
  it('keeps delayed tasks out of the claim index until a claim finds them due', () => {
    const clock = new FakeClock(START);
    const pool = pools.memory({ clock });
    pool.createTasks(
      Array.from({ length: 50 }, (_, i) => ({ title: `later ${i}`, description: 'd', runAt: START + 60_000 + i })),
    );
    const now = pool.createTask({ title: 'now', description: 'd', priority: 0 });
    const inClaimIndex = () =>
      (
        rawDb(pool)
          .prepare(
            "select count(*) as n from tasks indexed by idx_tasks_claim where status = 'pending' and run_at is null and waiting_on = 0",
          )
          .get() as { n: number }
      ).n;
    expect(inClaimIndex()).toBe(1);
    expect(pool.getStats().pending).toBe(51);
    expect(pool.claimTask('a')?.id).toBe(now.id);
    clock.advance(60_010);
    // Due now: the eleven whose runAt passed, in creation order (same priority, same createdAt: FIFO).
    expect(pool.claimTask('a')?.title).toBe('later 0');
    expect(inClaimIndex()).toBe(10);
    expect(pool.getTasks({ status: TaskStatus.PENDING }).map((t) => t.title)).toEqual(
      Array.from({ length: 49 }, (_, i) => `later ${i + 1}`),
    );
  });

  it('checks for expired leases and due tasks once per millisecond, and again as soon as the clock moves', () => {
    const clock = new FakeClock(START);
    const pool = pools.memory({ clock, leaseMs: 1_000 });
    pool.createTasks([
      { title: 'a', description: 'd' },
      { title: 'b', description: 'd' },
    ]);
    const statements = (
      pool as unknown as { driver: { statements: Record<string, { get: (...a: unknown[]) => unknown }> } }
    ).driver.statements;
    const original = statements.upkeepDue!.get;
    let checks = 0;
    statements.upkeepDue!.get = (...args: unknown[]) => {
      checks++;
      return original.apply(statements.upkeepDue, args);
    };
    pool.claimTask('a');
    pool.claimTask('a');
    pool.claimTask('a');
    expect(checks).toBe(1);
    clock.advance(1_000);
    expect(pool.claimTask('b')?.title).toBe('a');
    expect(checks).toBe(2);
  });
});
