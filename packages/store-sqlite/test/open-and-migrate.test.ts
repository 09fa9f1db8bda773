/**
 * Opening files: refusals leave the file byte-for-byte as it was (and leave no -wal/-shm behind),
 * migrations stamp the schema version and the application id, pool files reopen with their tasks, and
 * several processes can create one new file at the same instant.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APPLICATION_ID,
  type OmcErrorCode,
  SCHEMA_VERSION,
  type Task,
  TaskPool,
  TaskPriority,
  TaskStatus,
} from '../src/index.js';
import { forkFixture } from './child-processes.js';
import {
  assertBuiltPackageIsFresh,
  expectOmcError,
  hashFile,
  listDir,
  rawDb,
  statsFromRows,
  usePools,
} from './helpers.js';

const pools = usePools();

/** Build a SQLite file with another program's connection, then close it. */
function writeDatabase(path: string, build: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    build(db);
  } finally {
    db.close();
  }
}

/**
 * Expect `new TaskPool(path)` to be refused with `code`, and the directory to hold exactly what it held
 * before, with the file's bytes unchanged.
 */
function expectRefusedUntouched(path: string, code: OmcErrorCode) {
  const dir = join(path, '..');
  const hash = hashFile(path);
  const files = listDir(dir);
  const error = expectOmcError(() => pools.track(new TaskPool(path)), code);
  expect(error.message).toContain(path);
  expect(error.message).toMatch(/left untouched/);
  expect(hashFile(path)).toBe(hash);
  expect(listDir(dir)).toEqual(files);
  return error;
}

describe('refusals leave the file untouched', () => {
  it('a text file is not a database', () => {
    const path = join(pools.dir(), 'notes.txt');
    writeFileSync(path, 'These are my notes, not a database.\n'.repeat(100));
    const error = expectRefusedUntouched(path, 'OMC_NOT_A_DATABASE');
    expect(error).toMatchObject({ name: 'NotADatabaseError', path });
  });

  it('a short text file is not a database', () => {
    const path = join(pools.dir(), 'tasks.db');
    writeFileSync(path, 'hello\n');
    expectRefusedUntouched(path, 'OMC_NOT_A_DATABASE');
  });

  it('random bytes are not a database', () => {
    const path = join(pools.dir(), 'tasks.db');
    writeFileSync(path, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 251)));
    expectRefusedUntouched(path, 'OMC_NOT_A_DATABASE');
  });

  it('a database with a newer schema version (user_version 99) is refused', () => {
    const path = join(pools.dir(), 'tasks.db');
    writeDatabase(path, (db) => {
      db.exec('create table tasks (id text primary key, title text)');
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma('user_version = 99');
    });
    const error = expectRefusedUntouched(path, 'OMC_SCHEMA_TOO_NEW');
    expect(error).toMatchObject({ found: 99, supported: SCHEMA_VERSION });
    expect(error.message).toMatch(/upgrade/i);
  });

  it('an omc pool file in WAL mode, later stamped with a newer version, is refused and keeps its data', () => {
    const path = join(pools.dir(), 'tasks.db');
    const pool = new TaskPool(path);
    pool.createTask({ title: 'kept', description: 'written by this version' });
    pool.close();
    writeDatabase(path, (db) => db.pragma('user_version = 99'));
    expect(listDir(join(path, '..'))).toEqual(['tasks.db']);

    expectRefusedUntouched(path, 'OMC_SCHEMA_TOO_NEW');
    writeDatabase(path, (db) => {
      expect(db.prepare('select title from tasks').all()).toEqual([{ title: 'kept' }]);
    });
  });

  it('another application’s database (its own tables, user_version 0) is refused', () => {
    const path = join(pools.dir(), 'app.db');
    writeDatabase(path, (db) => {
      db.exec('create table customers (id integer primary key, name text)');
      db.prepare('insert into customers (name) values (?), (?)').run('Ada', 'Grace');
    });
    const error = expectRefusedUntouched(path, 'OMC_FOREIGN_DATABASE');
    expect(error.message).toContain('customers');
  });

  it('another application’s database in WAL mode is refused and left as it was', () => {
    const path = join(pools.dir(), 'app.db');
    writeDatabase(path, (db) => {
      db.pragma('journal_mode = WAL');
      db.exec('create table events (id integer primary key, payload text)');
      db.prepare('insert into events (payload) values (?)').run('x');
    });
    expectRefusedUntouched(path, 'OMC_FOREIGN_DATABASE');
  });

  it('a database with a schema version but another application id is refused', () => {
    const path = join(pools.dir(), 'app.db');
    writeDatabase(path, (db) => {
      db.exec('create table tasks (id text primary key)');
      db.pragma('user_version = 1');
    });
    const error = expectRefusedUntouched(path, 'OMC_FOREIGN_DATABASE');
    expect(error.message).toMatch(/application_id/);
  });

  it('a path that cannot be opened is a storage error naming the path', () => {
    const path = join(pools.dir(), 'missing-dir', 'tasks.db');
    const error = expectOmcError(() => pools.track(new TaskPool(path)), 'OMC_STORAGE');
    expect(error.message).toContain(path);
    expect(existsSync(path)).toBe(false);
  });
});

describe('creating and reopening pool files', () => {
  it('a new file gets WAL, the schema version and the application id', () => {
    const path = join(pools.dir(), 'tasks.db');
    const pool = pools.file(path);
    const db = rawDb(pool);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10_000);
    pool.close();

    // Another program sees the same header.
    const other = new Database(path, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(other.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(other.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(other.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      other.close();
    }
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    expect(APPLICATION_ID).toBe(0x6f6d6321);
  });

  it('an in-memory pool is stamped the same way (journal in memory)', () => {
    const db = rawDb(pools.memory());
    expect(db.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
  });

  it('an empty (0-byte) file is a new database and becomes a pool', () => {
    const path = join(pools.dir(), 'tasks.db');
    writeFileSync(path, '');
    const pool = pools.file(path);
    pool.createTask({ title: 't', description: 'w' });
    expect(rawDb(pool).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('busyTimeoutMs reaches the connection', () => {
    const pool = pools.file(undefined, { busyTimeoutMs: 1234 });
    expect(rawDb(pool).pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('reopening keeps every task, field, priority and status; stats and claim order carry on', () => {
    const path = join(pools.dir(), 'tasks.db');
    const first = new TaskPool(path);
    const created: Task[] = [];
    for (const priority of [TaskPriority.LOW, TaskPriority.CRITICAL, TaskPriority.MEDIUM, TaskPriority.HIGH]) {
      for (let i = 0; i < 3; i++) {
        created.push(
          first.createTask({
            title: `p${priority}-${i}`,
            description: `priority ${priority}, number ${i}`,
            priority,
            metadata: { priority, i, nested: { list: [1, 'two', null] } },
          }),
        );
      }
    }
    // Some history: one completed, one failed, one cancelled, one in progress.
    const done = first.claimTask('agent-1')!;
    first.updateTask(done.id, { status: TaskStatus.COMPLETED, result: 'ok' });
    const failed = first.claimTask('agent-1')!;
    first.updateTask(failed.id, { status: TaskStatus.IN_PROGRESS });
    first.updateTask(failed.id, { status: TaskStatus.FAILED, error: 'broke' });
    const running = first.claimTask('agent-2')!;
    first.updateTask(running.id, { status: TaskStatus.IN_PROGRESS });
    first.updateTask(created[0]!.id, { status: TaskStatus.CANCELLED });
    const before = first.getTasks();
    const stats = first.getStats();
    const schema = rawDb(first).prepare('select type, name, sql from sqlite_master order by name').all();
    first.close();

    const second = pools.file(path);
    expect(second.getTasks()).toEqual(before);
    expect(second.getStats()).toEqual(stats);
    expect(second.getStats()).toEqual(statsFromRows(second));
    expect(stats).toMatchObject({ total: 12, completed: 1, failed: 1, inProgress: 1, cancelled: 1, pending: 8 });
    // Reopening migrated nothing twice.
    expect(rawDb(second).prepare('select type, name, sql from sqlite_master order by name').all()).toEqual(schema);
    expect(rawDb(second).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);

    // The claim order continues where it stopped: every CRITICAL task is taken, so HIGH, then MEDIUM.
    const expected = before
      .filter((task) => task.status === TaskStatus.PENDING)
      .map((task) => task.title)
      .slice(0, 4);
    expect(expected).toEqual(['p2-0', 'p2-1', 'p2-2', 'p1-0']);
    expect([1, 2, 3, 4].map(() => second.claimTask('agent-3')?.title)).toEqual(expected);
  });
});

describe('several processes creating one new file at the same instant', () => {
  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  it('every process opens it, migrates it once, and writes its task', async () => {
    const FILES = 3;
    const PER_FILE = 4;
    const dir = pools.dir();
    const paths = Array.from({ length: FILES }, (_, i) => join(dir, `fresh-${i}.db`));
    const children = paths.flatMap((path, f) =>
      Array.from({ length: PER_FILE }, (_, p) => forkFixture('open-at-once.mjs', [path, `file${f}-process${p}`])),
    );
    // Every child has loaded the package; then all of them open at one instant.
    await Promise.all(children.map((child) => child.nextMessage()));
    const startAt = Date.now() + 50;
    for (const child of children) child.process.send({ startAt });
    const results = await Promise.all(children.map((child) => child.result));

    for (const result of results) {
      expect(result.stderr, `process ${result.pid} wrote to stderr`).toBe('');
      expect(result.code, `process ${result.pid} exit code`).toBe(0);
    }
    paths.forEach((path, f) => {
      const pool = pools.file(path);
      const db = rawDb(pool);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(
        pool
          .getTasks()
          .map((task) => task.title)
          .sort(),
      ).toEqual(Array.from({ length: PER_FILE }, (_, p) => `file${f}-process${p}`));
      expect(pool.getStats()).toMatchObject({ total: PER_FILE, pending: PER_FILE });
    });
  }, 60_000);
});
