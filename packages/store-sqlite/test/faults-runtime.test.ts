/**
 * File faults met while a pool is open and working: every driver error a user can meet comes back as a
 * typed omc error naming the file, the operation and the task, with what to do; and the faults that
 * would lose acknowledged tasks silently are detected and reported.
 */

import { mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIDE_FILE_CHECK_MS, translateSqliteError } from '../src/database-health.js';
import {
  DatabaseBusyError,
  DatabaseCorruptError,
  DiskFullError,
  OmcError,
  ReadOnlyDatabaseError,
  StorageError,
  TaskPool,
  TaskPriority,
} from '../src/index.js';
import { holdWriteLock, mountSmallFileSystem, type ReportedError, startPoolProcess, unmount } from './fault-env.js';
import { assertBuiltPackageIsFresh, expectOmcError, rawDb, tempDir, usePools } from './helpers.js';

const PATH = '/srv/omc/tasks.db';

function driverError(code: string, message = 'driver message'): Error {
  return new Database.SqliteError(message, code);
}

describe('translateSqliteError: every SQLite failure becomes a typed error that says what to do', () => {
  const cases: [code: string, errorCode: string, advice: RegExp][] = [
    ['SQLITE_CORRUPT', 'OMC_DATABASE_CORRUPT', /is damaged.*integrity_check.*\.recover/],
    ['SQLITE_CORRUPT_INDEX', 'OMC_DATABASE_CORRUPT', /is damaged.*restore a backup/],
    ['SQLITE_NOTADB', 'OMC_DATABASE_CORRUPT', /is damaged/],
    ['SQLITE_FULL', 'OMC_DISK_FULL', /disk holding .* is full.*Free space/],
    [
      'SQLITE_BUSY',
      'OMC_DATABASE_BUSY',
      /write lock on .* longer than busyTimeoutMs.*raise the pool's busyTimeoutMs.*long transactions/,
    ],
    ['SQLITE_BUSY_TIMEOUT', 'OMC_DATABASE_BUSY', /busyTimeoutMs/],
    ['SQLITE_BUSY_SNAPSHOT', 'OMC_DATABASE_BUSY', /wrote to .* while this one was reading.*Retry/],
    ['SQLITE_READONLY', 'OMC_READ_ONLY', /not writable.*permissions.*readOnly: true/],
    ['SQLITE_READONLY_DIRECTORY', 'OMC_READ_ONLY', /folder holding .* is not writable/],
    ['SQLITE_READONLY_DBMOVED', 'OMC_READ_ONLY', /moved or deleted while the pool had it open/],
    ['SQLITE_IOERR', 'OMC_STORAGE', /operating system.*Check the disk and the mount/],
    ['SQLITE_IOERR_WRITE', 'OMC_STORAGE', /operating system.*Check the disk/],
    ['SQLITE_IOERR_SHORT_READ', 'OMC_STORAGE', /operating system/],
    ['SQLITE_CANTOPEN', 'OMC_STORAGE', /could not open .*still exist/],
    ['SQLITE_ERROR', 'OMC_STORAGE', /failed in SQLite/],
  ];
  for (const [code, errorCode, advice] of cases) {
    it(`${code} → ${errorCode}, with the task id, the path, the cause and advice`, () => {
      const cause = driverError(code);
      const error = translateSqliteError(cause, PATH, 'completeTask', 't-42');
      expect(OmcError.isInstance(error)).toBe(true);
      expect(error.code).toBe(errorCode);
      expect(error.taskId).toBe('t-42');
      expect(error.cause).toBe(cause);
      expect(error.message).toMatch(/^completeTask for task t-42 (failed|did nothing)/);
      expect(error.message).toContain('for task t-42');
      expect(error.message).toContain(PATH);
      expect(error.message).toContain(code);
      expect(error.message).toMatch(advice);
      if (errorCode !== 'OMC_STORAGE') expect((error as unknown as { path: string }).path).toBe(PATH);
    });
  }

  it('gives each class its details: problem for corrupt and read-only, findings from SQLite', () => {
    const corrupt = translateSqliteError(
      driverError('SQLITE_CORRUPT', 'database disk image is malformed'),
      PATH,
      'getTask',
      undefined,
    );
    expect(DatabaseCorruptError.isInstance(corrupt)).toBe(true);
    expect(corrupt).toMatchObject({
      problem: 'corrupt',
      findings: ['database disk image is malformed'],
      taskId: undefined,
    });
    expect(corrupt.message).not.toContain('for task');
    expect(translateSqliteError(driverError('SQLITE_READONLY_DIRECTORY'), PATH, 'x', undefined)).toMatchObject({
      problem: 'directory',
    });
    expect(translateSqliteError(driverError('SQLITE_READONLY_CANTINIT'), PATH, 'x', undefined)).toMatchObject({
      problem: 'file',
    });
    expect(translateSqliteError(driverError('SQLITE_FULL'), PATH, 'x', undefined)).toBeInstanceOf(DiskFullError);
    expect(translateSqliteError(driverError('SQLITE_BUSY'), PATH, 'x', undefined)).toBeInstanceOf(DatabaseBusyError);
    expect(translateSqliteError(driverError('SQLITE_READONLY'), PATH, 'x', undefined)).toBeInstanceOf(
      ReadOnlyDatabaseError,
    );
    expect(translateSqliteError(driverError('SQLITE_IOERR_FSYNC'), PATH, 'x', undefined)).toBeInstanceOf(StorageError);
  });

  it("passes omc errors through and reports an error that is not SQLite's as OMC_STORAGE", () => {
    const typed = new DiskFullError(PATH, 'full');
    expect(translateSqliteError(typed, PATH, 'x', 't')).toBe(typed);
    const bug = new TypeError('boom');
    const error = translateSqliteError(bug, PATH, 'getStats', undefined);
    expect(error).toMatchObject({ code: 'OMC_STORAGE', cause: bug });
    expect(error.message).toBe('getStats failed in SQLite: boom.');
  });
});

/** Block this thread for `ms` (the pool is synchronous; the throttle counts wall time). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Every id is a task in the pool (and nothing else is), and the file passes integrity_check. */
function expectExactly(pool: TaskPool, ids: string[]): void {
  const missing = ids.filter((id) => pool.getTask(id) === null);
  expect(missing, `${missing.length} of ${ids.length} acknowledged tasks are gone`).toEqual([]);
  expect(pool.getStats().total).toBe(ids.length);
  expect(rawDb(pool).pragma('integrity_check', { simple: true })).toBe('ok');
}

function create(pool: TaskPool, count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => pool.createTask({ title: `${prefix} ${i}`, description: '!' }).id);
}

describe('a -wal file deleted or replaced while a pool is open', () => {
  const pools = usePools();
  beforeAll(assertBuiltPackageIsFresh);

  for (const fault of ['deleted', 'replaced by another file'] as const) {
    it(`(${fault}) is refused loudly and sticky, after copying every acknowledged task into the main file: a SIGKILLed writer loses none`, async () => {
      const path = join(pools.dir(), 'tasks.db');
      const writer = await startPoolProcess(path);
      const before = await writer.create(100, 'before');
      expect(before.error).toBeNull();
      if (fault === 'deleted') unlinkSync(`${path}-wal`);
      else {
        writeFileSync(`${path}-new`, Buffer.alloc(8192, 7));
        renameSync(`${path}-new`, `${path}-wal`);
      }
      // Writes go on until the next check (at most SIDE_FILE_CHECK_MS away): those are acknowledged
      // into the old, unlinked -wal only.
      const after = await writer.createFor(10 * SIDE_FILE_CHECK_MS, 'after');
      expect(after.error, 'the deletion was never reported').not.toBeNull();
      expect(after.error).toMatchObject({
        name: 'DatabaseCorruptError',
        code: 'OMC_DATABASE_CORRUPT',
        problem: 'wal_lost',
      });
      expect(after.error?.message).toMatch(
        new RegExp(`^createTask refused: .*tasks\\.db-wal was ${fault} while this pool had the database open`),
      );
      expect(after.error?.message).toMatch(
        /copied every write it had acknowledged into .* when it noticed .* so nothing is lost/,
      );
      expect(after.error?.message).toMatch(/close it, .*open the database again/);
      expect(after.error?.findings?.[1]).toBe('checkpoint complete');
      // Sticky: the pool refuses every later call, reads included.
      const again = await writer.create(1, 'again');
      expect(again).toMatchObject({ created: [], error: { code: 'OMC_DATABASE_CORRUPT', problem: 'wal_lost' } });
      expect((await writer.claim()).error).toMatchObject({ code: 'OMC_DATABASE_CORRUPT' });

      const killed = await writer.kill();
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stderr).toBe('');
      // A foreign file at -wal would be replayed by the next opener: the message says to move it aside.
      if (fault !== 'deleted') rmSync(`${path}-wal`);
      expectExactly(pools.file(path), [...before.created, ...after.created]);
    });
  }

  it('deleted while the pool sits idle: the next call is refused, and a SIGKILL then loses nothing', async () => {
    const path = join(pools.dir(), 'tasks.db');
    const writer = await startPoolProcess(path);
    const before = await writer.create(100, 'before');
    expect(before.error).toBeNull();
    unlinkSync(`${path}-wal`);
    await new Promise((resolve) => setTimeout(resolve, 3 * SIDE_FILE_CHECK_MS));
    // The next call is refused: the pool noticed on its own.
    const next = await writer.create(1, 'next');
    expect(next).toMatchObject({ created: [], error: { code: 'OMC_DATABASE_CORRUPT', problem: 'wal_lost' } });
    expect(next.error?.message).toMatch(/^createTask refused: .*was deleted.* so nothing is lost/);
    await writer.kill();
    expectExactly(pools.file(path), before.created);
  });

  it('deleted while the pool sits idle and the process killed before any further call: nothing is lost', async () => {
    const path = join(pools.dir(), 'tasks.db');
    const writer = await startPoolProcess(path);
    const before = await writer.create(100, 'before');
    unlinkSync(`${path}-wal`);
    await new Promise((resolve) => setTimeout(resolve, 3 * SIDE_FILE_CHECK_MS));
    await writer.kill();
    expectExactly(pools.file(path), before.created);
  });

  it('is refused within SIDE_FILE_CHECK_MS of the deletion, for reads as well as writes, and a -shm deleted too', () => {
    for (const side of ['-wal', '-shm']) {
      const path = join(pools.dir(), 'tasks.db');
      const pool = pools.file(path);
      const ids = create(pool, 10, side);
      sleepSync(SIDE_FILE_CHECK_MS + 20);
      expect(pool.getTask(ids[0] as string)).not.toBeNull();
      unlinkSync(`${path}${side}`);
      sleepSync(SIDE_FILE_CHECK_MS + 20);
      const error = expectOmcError(
        () => pool.getTask(ids[0] as string),
        'OMC_DATABASE_CORRUPT',
      ) as DatabaseCorruptError;
      expect(error).toMatchObject({ problem: 'wal_lost', path });
      expect(error.message).toMatch(new RegExp(`^getTask refused: .*tasks\\.db${side} was deleted`));
      const again = expectOmcError(() => pool.getStats(), 'OMC_DATABASE_CORRUPT');
      expect(again).toMatchObject({ problem: 'wal_lost', findings: error.findings });
      expect(again.message).toMatch(/^getStats refused: /);
      pool.close();
      expectExactly(pools.file(path), ids);
    }
  });

  it('watches the -wal beside the real file of a symlinked, relative path, and after process.chdir', () => {
    const dir = pools.dir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real', 'tasks.db'), join(dir, 'link.db'));
    const cwd = process.cwd();
    process.chdir(dir);
    let pool: TaskPool;
    try {
      pool = pools.track(new TaskPool('link.db'));
    } finally {
      process.chdir(cwd);
    }
    const ids = create(pool, 5, 'linked');
    sleepSync(SIDE_FILE_CHECK_MS + 20);
    expect(pool.getStats().total).toBe(5);
    unlinkSync(join(dir, 'real', 'tasks.db-wal'));
    sleepSync(SIDE_FILE_CHECK_MS + 20);
    const error = expectOmcError(() => pool.getStats(), 'OMC_DATABASE_CORRUPT');
    expect(error.message).toContain(`${join(dir, 'real', 'tasks.db')}-wal was deleted`);
    pool.close();
    expectExactly(pools.file(join(dir, 'real', 'tasks.db')), ids);
  });

  it('when a reader keeps the checkpoint from finishing, says the tasks are NOT yet safe, and retries the copy on the next call', () => {
    const path = join(pools.dir(), 'tasks.db');
    const pool = pools.file(path, { busyTimeoutMs: 50 });
    const early = create(pool, 20, 'early');
    const reader = new Database(path);
    reader.exec('BEGIN');
    reader.prepare('select count(*) from tasks').get();
    const late = create(pool, 20, 'late');
    unlinkSync(`${path}-wal`);
    sleepSync(SIDE_FILE_CHECK_MS + 20);
    const first = expectOmcError(() => pool.getStats(), 'OMC_DATABASE_CORRUPT');
    expect(first.message).toMatch(/could NOT copy the writes acknowledged since the last checkpoint/);
    expect(first.message).toMatch(/Keep this process running: the pool retries the copy every 200 ms and at each call/);
    reader.exec('COMMIT');
    reader.close();
    const second = expectOmcError(() => pool.getStats(), 'OMC_DATABASE_CORRUPT');
    expect(second.message).toMatch(/copied every write it had acknowledged/);
    pool.close();
    expectExactly(pools.file(path), [...early, ...late]);
  });

  it("is not reported for a healthy file: another pool on it closing, checkpoints, other processes' pools", async () => {
    const path = join(pools.dir(), 'tasks.db');
    const pool = pools.file(path);
    const other = new TaskPool(path);
    const ids = [...create(pool, 10, 'a'), ...create(other, 10, 'b')];
    other.close();
    rawDb(pool).pragma('wal_checkpoint(TRUNCATE)');
    const writer = await startPoolProcess(path);
    const theirs = await writer.createFor(3 * SIDE_FILE_CHECK_MS, 'c');
    expect(theirs.error).toBeNull();
    await writer.kill();
    for (let i = 0; i < 3; i++) {
      ids.push(...create(pool, 5, `d${i}`));
      sleepSync(SIDE_FILE_CHECK_MS + 20);
    }
    expectExactly(pool, [...ids, ...theirs.created]);
  });
});

/**
 * Fill the disk under `pool`, checking every refusal on the way: returns the acknowledged ids. Ends with
 * a refused batch and a refused single create, neither of which may leave a trace.
 */
function fillUntilFull(pool: TaskPool, path: string): string[] {
  const before = pool.getStats().total;
  const ids: string[] = [];
  const payload = 'x'.repeat(300);
  let full: DiskFullError | undefined;
  for (let i = 0; full === undefined; i++) {
    try {
      ids.push(pool.createTask({ title: `t ${i}`, description: payload, metadata: { i } }).id);
    } catch (error) {
      expect(DiskFullError.isInstance(error), String(error)).toBe(true);
      full = error as DiskFullError;
    }
    expect(i, 'the disk never filled').toBeLessThan(100_000);
  }
  expect(full).toMatchObject({ code: 'OMC_DISK_FULL', name: 'DiskFullError', path });
  expect(full.message).toMatch(/^createTask failed: the disk holding .* is full .*Free space on that disk and retry/);
  expect((full.cause as { code: string }).code).toBe('SQLITE_FULL');
  // A batch is refused whole, and so is every further write while the disk stays full.
  const total = pool.getStats().total;
  expectOmcError(
    () => pool.createTasks(Array.from({ length: 50 }, (_, i) => ({ title: `batch ${i}`, description: payload }))),
    'OMC_DISK_FULL',
  );
  expectOmcError(() => pool.createTask({ title: 'one more', description: payload.repeat(20) }), 'OMC_DISK_FULL');
  expect(pool.getStats().total).toBe(total);
  expect(total).toBe(before + ids.length);
  return ids;
}

/** The pool works again: create, claim, complete. */
function expectWorking(pool: TaskPool): string {
  const task = pool.createTask({
    title: 'after the disk was freed',
    description: '!',
    priority: TaskPriority.CRITICAL,
  });
  const claimed = pool.claimTask('agent');
  expect(claimed?.id).toBe(task.id);
  pool.completeTask(claimed as NonNullable<typeof claimed>, 'done');
  return task.id;
}

describe('the disk fills up under an open pool', () => {
  const pools = usePools();
  const mountPoint = tempDir('omc-disk-full-');
  let mounted = false;
  beforeAll(() => {
    mounted = mountSmallFileSystem(mountPoint, '2m');
  });
  afterAll(() => {
    if (mounted) unmount(mountPoint);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('on a real 2 MB tmpfs (skipped where mount is not permitted): DiskFullError, nothing half-written, every acknowledged task there once space is freed', (context) => {
    if (!mounted) context.skip();
    const path = join(mountPoint, 'tasks.db');
    const pool = pools.file(path);
    const seeded = create(pool, 20, 'seed');
    // Leave the pool little room, then give it back by deleting this file.
    const filler = join(mountPoint, 'filler');
    writeFileSync(filler, Buffer.alloc(1024 * 1024));
    const ids = [...seeded, ...fillUntilFull(pool, path)];
    expect(ids.length).toBeGreaterThan(seeded.length);
    expect(rawDb(pool).pragma('integrity_check', { simple: true })).toBe('ok');
    unlinkSync(filler);
    ids.push(expectWorking(pool));
    expectExactly(pool, ids);
    pool.close();
    expectExactly(pools.file(path), ids);
  });

  it('simulated with PRAGMA max_page_count (runs everywhere): the same error and the same guarantees', () => {
    const path = join(pools.dir(), 'tasks.db');
    const pool = pools.file(path);
    const seeded = create(pool, 20, 'seed');
    const db = rawDb(pool);
    const pages = db.pragma('page_count', { simple: true }) as number;
    // SQLite refuses to grow the file past this many pages with SQLITE_FULL, as a full disk does.
    db.pragma(`max_page_count = ${pages + 8}`);
    const ids = [...seeded, ...fillUntilFull(pool, path)];
    expect(ids.length).toBeGreaterThan(seeded.length);
    db.pragma('max_page_count = 4294967294');
    ids.push(expectWorking(pool));
    expectExactly(pool, ids);
    pool.close();
    expectExactly(pools.file(path), ids);
  });
});

describe('another process holds the write lock longer than busyTimeoutMs', () => {
  const pools = usePools();

  it('every write is refused with DatabaseBusyError and does nothing; reads go on; once the lock is released the same pool works and nothing is lost', async () => {
    const path = join(pools.dir(), 'tasks.db');
    const pool = pools.file(path, { busyTimeoutMs: 200 });
    const ids = create(pool, 10, 'seed');
    const held = pool.claimTask('agent') as NonNullable<ReturnType<TaskPool['claimTask']>>;
    const holder = await holdWriteLock(path);

    const refused = [
      expectOmcError(() => pool.createTask({ title: 'new', description: '!' }), 'OMC_DATABASE_BUSY'),
      expectOmcError(
        () =>
          pool.createTasks([
            { title: 'a', description: '!' },
            { title: 'b', description: '!', idempotencyKey: 'k' },
          ]),
        'OMC_DATABASE_BUSY',
      ),
      expectOmcError(() => pool.claimTask('agent'), 'OMC_DATABASE_BUSY'),
      expectOmcError(() => pool.completeTask(held, 'done'), 'OMC_DATABASE_BUSY'),
      expectOmcError(() => pool.deleteTask(ids[5] as string), 'OMC_DATABASE_BUSY'),
    ];
    for (const error of refused) {
      expect(DatabaseBusyError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ name: 'DatabaseBusyError', path });
      expect(error.message).toMatch(
        /did nothing: another connection held the write lock on .*tasks\.db longer than busyTimeoutMs\. Retry the call; .*raise the pool's busyTimeoutMs or shorten the other program's long transactions/,
      );
      expect((error.cause as { code: string }).code).toMatch(/^SQLITE_BUSY/);
    }
    expect(refused[3]?.taskId).toBe(held.id);
    expect(refused[3]?.message).toContain(`for task ${held.id}`);
    // Readers are not blocked (WAL), and they see that the refused calls wrote nothing.
    expect(pool.getStats()).toMatchObject({ total: 10, pending: 9, claimed: 1, completed: 0 });
    expect(pool.getTask(held.id)?.status).toBe('claimed');

    const released = await holder.release();
    expect(released.code).toBe(0);
    pool.completeTask(held, 'done');
    ids.push(pool.createTask({ title: 'after', description: '!' }).id);
    expect(pool.claimTask('agent')).not.toBeNull();
    expect(pool.getStats()).toMatchObject({ total: 11, completed: 1, claimed: 1 });
    expectExactly(pool, ids);
    pool.close();
    expectExactly(pools.file(path), ids);
  });
});

/** The copy a pool saved when its database file went away, named in the refusal. */
function savedCopy(error: { message: string }): string {
  const match = /a complete copy of the database .* as (\/\S+\.rescued-[0-9TZ-]+)\./.exec(error.message);
  expect(match, error.message).not.toBeNull();
  return (match as RegExpExecArray)[1] as string;
}

describe('the database file itself moved, deleted or replaced while a pool is open', () => {
  const pools = usePools();
  beforeAll(assertBuiltPackageIsFresh);

  it('deleted under a writer that is then SIGKILLed: refused (ReadOnlyDatabaseError), and a saved copy holds every acknowledged task', async () => {
    const path = join(pools.dir(), 'tasks.db');
    const writer = await startPoolProcess(path);
    const before = await writer.create(100, 'before');
    unlinkSync(path);
    const after = await writer.createFor(10 * SIDE_FILE_CHECK_MS, 'after');
    expect(after.error, 'the deletion was never reported').not.toBeNull();
    expect(after.error).toMatchObject({ name: 'ReadOnlyDatabaseError', code: 'OMC_READ_ONLY', problem: 'file' });
    expect(after.error?.message).toMatch(/^createTask refused: .*tasks\.db was deleted while this pool had it open/);
    expect(after.error?.message).toMatch(/if it was deleted, move .* to .*tasks\.db and open it again/);
    expect((await writer.create(1, 'again')).error).toMatchObject({ code: 'OMC_READ_ONLY' });
    await writer.kill();
    const copy = savedCopy(after.error as ReportedError);
    renameSync(copy, path);
    expectExactly(pools.file(path), [...before.created, ...after.created]);
  });

  it('moved: refused, and the moved file is whole on its own (its -wal was checkpointed into it)', () => {
    const dir = pools.dir();
    const path = join(dir, 'tasks.db');
    const pool = pools.file(path);
    const ids = create(pool, 30, 'moved');
    renameSync(path, join(dir, 'elsewhere.db'));
    sleepSync(SIDE_FILE_CHECK_MS + 20);
    const error = expectOmcError(() => pool.getStats(), 'OMC_READ_ONLY') as ReadOnlyDatabaseError;
    expect(error).toMatchObject({ problem: 'file', path });
    expect(error.message).toMatch(/^getStats refused: .*tasks\.db was deleted while this pool had it open/);
    pool.close();
    // The -wal left at the old name holds nothing any more; the moved file has every task.
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    expectExactly(pools.file(join(dir, 'elsewhere.db')), ids);
    expectExactly(pools.file(savedCopy(error)), ids);
  });

  it("replaced by another database: refused, the newcomer is not touched by this pool's -wal, and the copy has this pool's tasks", () => {
    const dir = pools.dir();
    const path = join(dir, 'tasks.db');
    const pool = pools.file(path);
    const ids = create(pool, 30, 'ours');
    const other = new TaskPool(join(dir, 'other.db'));
    const theirs = create(other, 3, 'theirs');
    other.close();
    renameSync(join(dir, 'other.db'), path);
    sleepSync(SIDE_FILE_CHECK_MS + 20);
    const error = expectOmcError(() => pool.createTask({ title: 'x', description: '!' }), 'OMC_READ_ONLY');
    expect(error.message).toMatch(/tasks\.db was replaced by another file while this pool had it open/);
    pool.close();
    expectExactly(pools.file(path), theirs);
    expectExactly(pools.file(savedCopy(error)), ids);
  });
});
