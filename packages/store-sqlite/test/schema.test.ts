/**
 * The schema: a new file's is the committed dump (test/schema.sql), so any change to it shows in review;
 * files written by every earlier schema version migrate to exactly that schema; and a file written at
 * schema 2 (leases, before capabilities and dependencies) upgrades in place, keeping every task.
 */
import { join } from 'node:path';
import { FakeClock } from '@omc/core/testing';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, SCHEMA_VERSION, TaskPriority, TaskStatus } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';
import { rawDb, statsFromRows, usePools } from './helpers.js';

const pools = usePools();
const START = Date.UTC(2026, 5, 1);

/** Every table, index and trigger, as SQL, in a stable order. */
function dumpSchema(db: Database.Database): string {
  const rows = db
    .prepare('select type, name, sql from sqlite_master where sql is not null order by type, name')
    .all() as { type: string; name: string; sql: string }[];
  return `${rows.map((row) => `-- ${row.type} ${row.name}\n${row.sql.replace(/[ \t]+$/gm, '')};`).join('\n\n')}\n`;
}

/** A file as an older omc wrote it: the first `version` migrations, then `fill` with that schema's columns. */
function writeOldDatabase(path: string, version: number, fill: (db: Database.Database) => void = () => {}): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    for (const migration of MIGRATIONS.slice(0, version))
      for (const statement of migration.statements) db.exec(statement);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${version}`);
    fill(db);
  } finally {
    db.close();
  }
}

describe('the schema', () => {
  it('of a new file is the committed dump', async () => {
    expect(SCHEMA_VERSION).toBe(3);
    await expect(dumpSchema(rawDb(pools.memory()))).toMatchFileSnapshot('./schema.sql');
  });

  it('is the same for a file migrated from each earlier version', () => {
    const fresh = dumpSchema(rawDb(pools.memory()));
    for (let version = 1; version < SCHEMA_VERSION; version++) {
      const path = join(pools.dir(), `v${version}.db`);
      writeOldDatabase(path, version);
      const pool = pools.file(path);
      expect(rawDb(pool).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(dumpSchema(rawDb(pool)), `migrated from schema ${version}`).toBe(fresh);
    }
  });
});

describe('a file from schema 2 (before capabilities and dependencies)', () => {
  /** One task per state, written with schema 2's columns as omc then wrote them. */
  function writeVersion2Database(path: string): void {
    writeOldDatabase(path, 2, (db) => {
      const insert = db.prepare(
        `insert into tasks (id, title, description, status, priority, assigned_agent, created_at, updated_at,
           started_at, completed_at, result, error, metadata, attempts, max_attempts, run_at, lease_token,
           lease_expires_at, lease_ms, timeout_ms, idempotency_key, history)
         values (@id, @title, 'd', @status, @priority, @agent, @createdAt, @createdAt, @startedAt, @completedAt,
           @result, @error, @metadata, @attempts, 3, @runAt, @token, @leaseExpiresAt, null, null, @key, @history)`,
      );
      const base = {
        agent: null,
        startedAt: null,
        completedAt: null,
        result: null,
        error: null,
        metadata: null,
        attempts: 0,
        runAt: null,
        token: 0,
        leaseExpiresAt: null,
        key: null,
        history: null,
      };
      insert.run({ ...base, id: 'v2-low', title: 'low', status: 'pending', priority: 0, createdAt: START - 900 });
      insert.run({
        ...base,
        id: 'v2-high',
        title: 'high',
        status: 'pending',
        priority: 2,
        createdAt: START - 800,
        metadata: '{"kept":true}',
        key: 'nightly',
      });
      insert.run({
        ...base,
        id: 'v2-later',
        title: 'later',
        status: 'pending',
        priority: 3,
        createdAt: START - 700,
        runAt: START + 5_000,
      });
      insert.run({
        ...base,
        id: 'v2-held',
        title: 'held',
        status: 'in_progress',
        priority: 1,
        createdAt: START - 600,
        agent: 'old-agent',
        startedAt: START - 500,
        attempts: 1,
        token: 1,
        leaseExpiresAt: START + 60_000,
        history: 'pecl1.100"old-agent"\nclin1.150\n',
      });
      insert.run({
        ...base,
        id: 'v2-done',
        title: 'done',
        status: 'completed',
        priority: 1,
        createdAt: START - 400,
        agent: 'old-agent',
        startedAt: START - 300,
        completedAt: START - 200,
        result: 'ok',
        attempts: 1,
        token: 1,
      });
      insert.run({
        ...base,
        id: 'v2-failed',
        title: 'failed',
        status: 'failed',
        priority: 1,
        createdAt: START - 100,
        completedAt: START - 50,
        error: 'broke',
        attempts: 3,
        token: 3,
      });
    });
  }

  it('upgrades in place: every task, lease, key and history line kept; the queue carries on', () => {
    const path = join(pools.dir(), 'v2.db');
    writeVersion2Database(path);
    const clock = new FakeClock(START);
    const pool = pools.file(path, { clock });
    const db = rawDb(pool);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    expect(pool.getStats()).toEqual({
      total: 6,
      pending: 3,
      claimed: 0,
      inProgress: 1,
      completed: 1,
      failed: 1,
      cancelled: 0,
    });
    expect(pool.getStats()).toEqual(statsFromRows(pool));
    expect(pool.getTask('v2-high')).toMatchObject({
      status: TaskStatus.PENDING,
      priority: TaskPriority.HIGH,
      metadata: { kept: true },
      idempotencyKey: 'nightly',
      requires: undefined,
      dependsOn: undefined,
    });
    expect(pool.createTask({ title: 'again', description: 'd', idempotencyKey: 'nightly' }).id).toBe('v2-high');
    const held = pool.getTask('v2-held')!;
    expect(held).toMatchObject({ status: TaskStatus.IN_PROGRESS, leaseToken: 1, leaseExpiresAt: START + 60_000 });
    expect(pool.getTaskHistory('v2-held').map((step) => [step.from, step.to, step.agent])).toEqual([
      [TaskStatus.PENDING, TaskStatus.CLAIMED, 'old-agent'],
      [TaskStatus.CLAIMED, TaskStatus.IN_PROGRESS, 'old-agent'],
    ]);
    expect(pool.getTask('v2-done')).toMatchObject({ status: TaskStatus.COMPLETED, result: 'ok' });

    // New tasks may depend on old ones: the in-progress one gates it, the completed one does not.
    const next = pool.createTask({ title: 'next', description: 'd', dependsOn: ['v2-done', 'v2-held'] });
    expect(next.status).toBe(TaskStatus.PENDING);
    // The old holder's lease still works, and its completion releases the new dependant.
    pool.completeTask(held, 'finished after the upgrade');
    // Claim order as before: HIGH, then the dependant (MEDIUM, newest), then LOW; the delayed one when due.
    expect(pool.claimTasks('new-agent', 10).map((task) => task.id)).toEqual(['v2-high', next.id, 'v2-low']);
    clock.set(START + 5_000);
    expect(pool.claimTask('new-agent', { capabilities: [] })?.id).toBe('v2-later');
    expect(pool.getStats()).toEqual(statsFromRows(pool));
  });
});
