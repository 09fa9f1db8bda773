/**
 * Faults the pool meets when it opens a file, on real files in a temp dir: a truncated or damaged file
 * is a typed DatabaseCorruptError that says what to do and writes nothing; a damaged b-tree that reads
 * as missing tasks is found by checkIntegrity (on demand or at open); a database a writing pool cannot
 * write is refused typed at open and leaves no side files; readOnly: true reads and refuses every write.
 */
import { chmodSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APPLICATION_ID,
  type OmcError,
  SCHEMA_VERSION,
  type Task,
  TaskPool,
  type TaskPoolOptions,
  TaskStatus,
} from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';
import {
  copyPage,
  fillFile,
  handOver,
  leaves,
  OTHER_USER,
  openAsOtherUser,
  overwrite,
  patchText,
  sideFiles,
} from './fault-files.js';
import { assertBuiltPackageIsFresh, expectOmcError, hashFile, listDir, rawDb, usePools } from './helpers.js';

interface CorruptFields {
  path: string;
  problem: string;
  findings: readonly string[];
}
interface ReadOnlyFields {
  path: string;
  problem: string;
  taskId?: string;
}

/** Expect opening `path` with `options` to throw DatabaseCorruptError, having written nothing. */
function expectCorruptAtOpen(path: string, options?: TaskPoolOptions): OmcError & CorruptFields {
  const before = hashFile(path);
  const error = expectOmcError(() => new TaskPool(path, options), 'OMC_DATABASE_CORRUPT') as OmcError & CorruptFields;
  expect(error.name).toBe('DatabaseCorruptError');
  expect(error.path).toBe(path);
  expect(error.message).toContain(`${path} is damaged`);
  expect(error.message).toContain('backup');
  expect(error.message).toContain(`sqlite3 ${path} ".recover"`);
  expect(error.message).toContain('pool.checkIntegrity()');
  expect(hashFile(path), 'the damaged file was written').toBe(before);
  expect(sideFiles(path), 'side files left beside the damaged file').toEqual([]);
  return error;
}

describe('a damaged file at open', () => {
  const pools = usePools();

  it('a file truncated to half its size is refused as truncated, and nothing is written', () => {
    const path = join(pools.dir(), 'tasks.db');
    const { pageSize } = fillFile(path, 2_000);
    const size = statSync(path).size;
    truncateSync(path, Math.floor(size / 2 / pageSize) * pageSize);
    const error = expectCorruptAtOpen(path);
    expect(error.problem).toBe('truncated');
    expect(error.message).toMatch(/its header says \d+ pages of 4096 bytes .* it was cut short/);
  });

  it('a file cut in the middle of a page is refused as truncated', () => {
    const path = join(pools.dir(), 'tasks.db');
    const { pageSize } = fillFile(path, 2_000);
    truncateSync(path, statSync(path).size - pageSize * 3 - 1234);
    expect(expectCorruptAtOpen(path).problem).toBe('truncated');
  });

  it('a file cut inside its 100-byte header is refused as truncated, not as "not a database"', () => {
    const path = join(pools.dir(), 'tasks.db');
    fillFile(path, 20);
    truncateSync(path, 60);
    const error = expectCorruptAtOpen(path);
    expect(error.problem).toBe('truncated');
    expect(error.message).toContain("shorter than SQLite's 100-byte header");
  });

  it('a damaged file header behind an intact SQLite signature is refused as corrupt', () => {
    const path = join(pools.dir(), 'tasks.db');
    fillFile(path, 200);
    overwrite(path, 16, Buffer.from([0x00, 0x07])); // the page size: 7 is no page size
    const error = expectCorruptAtOpen(path);
    expect(error.problem).toBe('corrupt');
    expect(error.message).toContain('its 100-byte file header is damaged');
  });

  it('a damaged schema page (page 1 after the file header) is refused as corrupt', () => {
    const path = join(pools.dir(), 'tasks.db');
    const { pageSize } = fillFile(path, 200);
    // The b-tree page header and cell pointers of sqlite_schema, right after the 100-byte file header.
    overwrite(path, 100, Buffer.alloc(pageSize - 100, 0x5a));
    const error = expectCorruptAtOpen(path);
    expect(error.problem).toBe('corrupt');
    expect(error.findings.length).toBeGreaterThan(0);
  });

  it('a schema whose SQL text is damaged is refused as corrupt', () => {
    const path = join(pools.dir(), 'tasks.db');
    fillFile(path, 200);
    // Every copy of the text: freed pages still hold the schema of earlier migrations.
    patchText(path, 'CREATE TABLE "tasks"', 'CREATE TABLX "tasks"');
    const error = expectCorruptAtOpen(path);
    expect(error.problem).toBe('corrupt');
    expect(error.findings.join()).toMatch(/malformed database schema/);
  });
});

describe('a damaged b-tree page', () => {
  const pools = usePools();

  /** A closed file of 2 000 tasks whose id index has a leaf page replaced by another of its leaves. */
  function damagedIndex() {
    const path = join(pools.dir(), 'tasks.db');
    const file = fillFile(path, 2_000);
    const [first, , victim] = leaves(file, 'sqlite_autoindex_tasks_1');
    copyPage(path, file.pageSize, first as number, victim as number);
    return { path, ...file };
  }

  it('checkIntegrity reports a sound file as ok', () => {
    const pool = pools.file();
    pool.createTasks([{ title: 'a', description: 'b' }]);
    expect(pool.checkIntegrity()).toEqual({ ok: true, quick: false, findings: [] });
    expect(pool.checkIntegrity({ quick: true })).toEqual({ ok: true, quick: true, findings: [] });
    expect(pools.memory().checkIntegrity()).toEqual({ ok: true, quick: false, findings: [] });
  });

  it('checkIntegrity finds the damage that makes getTask miss acknowledged tasks', () => {
    const { path, ids } = damagedIndex();
    const pool = pools.file(path);
    // What the damage does without a check: no call fails, and tasks that are there read as missing.
    const missing = ids.filter((id) => pool.getTask(id) === null);
    expect(missing.length).toBeGreaterThan(0);
    expect(pool.getTasks().length).toBe(2_000);

    const quick = pool.checkIntegrity({ quick: true });
    expect(quick.ok).toBe(false);
    expect(quick.quick).toBe(true);
    expect(quick.findings.join('\n')).toMatch(/sqlite_autoindex_tasks_1/);
    const full = pool.checkIntegrity();
    expect(full.ok).toBe(false);
    expect(full.findings.join('\n')).toMatch(/missing from index sqlite_autoindex_tasks_1/);
    expect(full.findings.length).toBeLessThanOrEqual(100);
    for (const line of full.findings) expect(line).not.toMatch(/\n|^\*\*\*/);
  });

  for (const check of [true, 'quick', 'full'] as const) {
    it(`checkIntegrityOnOpen: ${JSON.stringify(check)} refuses the damaged file with its findings, writing nothing`, () => {
      const { path } = damagedIndex();
      const error = expectCorruptAtOpen(path, { checkIntegrityOnOpen: check });
      expect(error.problem).toBe('corrupt');
      expect(error.findings.join('\n')).toMatch(/sqlite_autoindex_tasks_1/);
      expect(error.message).toMatch(check === 'full' ? /integrity_check found/ : /quick_check found/);
    });
  }

  it('a damaged index only: the full check says REINDEX rebuilds it, and after REINDEX every task reads back', () => {
    const { path, ids } = damagedIndex();
    const error = expectCorruptAtOpen(path, { checkIntegrityOnOpen: 'full' });
    expect(error.message).toContain(`sqlite3 ${path} "REINDEX"`);
    const db = new Database(path);
    db.exec('REINDEX');
    db.close();
    const pool = pools.file(path, { checkIntegrityOnOpen: 'full' });
    expect(ids.filter((id) => pool.getTask(id) === null)).toEqual([]);
  });

  it('checkIntegrityOnOpen opens a sound file, a readOnly one too', () => {
    const path = join(pools.dir(), 'tasks.db');
    fillFile(path, 50);
    expect(pools.file(path, { checkIntegrityOnOpen: 'full' }).getStats().total).toBe(50);
    expect(pools.file(path, { checkIntegrityOnOpen: true, readOnly: true }).getStats().total).toBe(50);
  });

  it('a page damaged inside its cells is a typed error on the call that reads it, not wrong rows', () => {
    const path = join(pools.dir(), 'tasks.db');
    const file = fillFile(path, 2_000);
    const victim = leaves(file, 'tasks')[5] as number;
    const junk = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 37) & 0xff));
    overwrite(path, (victim - 1) * file.pageSize + 1000, junk);
    const pool = pools.file(path);
    // cell_size_check is on: SQLite checks every cell against its page as the page is loaded.
    expect(rawDb(pool).pragma('cell_size_check', { simple: true })).toBe(1);
    let failed = 0;
    for (const id of file.ids) {
      try {
        pool.getTask(id);
      } catch (error) {
        expect((error as OmcError).code).toBe('OMC_DATABASE_CORRUPT');
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(0);
    expect(expectOmcError(() => pool.getTasks(), 'OMC_DATABASE_CORRUPT').message).toContain(path);
  });

  it('cell_size_check does not catch a well-formed page in the wrong place: only checkIntegrity does', () => {
    const { path, ids } = damagedIndex();
    for (const check of ['ON', 'OFF']) {
      const pool = pools.file(path);
      rawDb(pool).pragma(`cell_size_check = ${check}`);
      expect(ids.filter((id) => pool.getTask(id) === null).length, `cell_size_check ${check}`).toBeGreaterThan(0);
      pool.close();
    }
  });

  it('checkIntegrity and checkIntegrityOnOpen refuse bad arguments typed', () => {
    const pool = pools.memory();
    expect(expectOmcError(() => pool.checkIntegrity({ quick: 'yes' as never }), 'OMC_INVALID_INPUT')).toMatchObject({
      field: 'quick',
    });
    expectOmcError(() => pool.checkIntegrity(null as never), 'OMC_INVALID_INPUT');
    const path = join(pools.dir(), 'tasks.db');
    for (const bad of ['yes', 1, null, 'Quick']) {
      const error = expectOmcError(
        () => new TaskPool(path, { checkIntegrityOnOpen: bad as never }),
        'OMC_INVALID_INPUT',
      ) as OmcError & { field: string };
      expect(error.field).toBe('checkIntegrityOnOpen');
    }
    for (const bad of ['true', 1, null]) {
      const error = expectOmcError(
        () => new TaskPool(path, { readOnly: bad as never }),
        'OMC_INVALID_INPUT',
      ) as OmcError & {
        field: string;
      };
      expect(error.field).toBe('readOnly');
    }
    expect(listDir(join(path, '..'))).toEqual([]);
  });
});

/** A pool file with `count` tasks, one of them claimed (its lease is returned), closed. */
function fileWithClaim(path: string, count: number): Task {
  const pool = new TaskPool(path);
  pool.createTasks(Array.from({ length: count }, (_, i) => ({ title: `task ${i}`, description: 'kept' })));
  const claimed = pool.claimTask('agent-1') as Task;
  pool.close();
  return claimed;
}

/** Every write method of the pool, as [method, ...args] for the child or for a pool in this process. */
function writeCalls(lease: { id: string; leaseToken: number }): [string, unknown[], string | undefined][] {
  const { id } = lease;
  return [
    ['createTask', [{ title: 'x', description: 'y' }], undefined],
    ['createTasks', [[{ title: 'x', description: 'y' }]], undefined],
    ['claimTask', ['agent-2'], undefined],
    ['claimTasks', ['agent-2', 5], undefined],
    ['startTask', [lease], id],
    ['startTasks', [[lease]], undefined],
    ['heartbeat', [lease], id],
    ['completeTask', [lease, 'done'], id],
    ['completeTasks', [[{ lease, result: 'done' }]], undefined],
    ['failTask', [lease, 'broke'], id],
    ['releaseTask', [lease], id],
    ['updateTask', [id, { title: 'changed' }], id],
    ['cancelTask', [id], id],
    ['retryTask', [id], id],
    ['deleteTask', [id], id],
    ['reclaimExpired', [], undefined],
    ['clearAll', [], undefined],
  ];
}

describe('readOnly: true', () => {
  const pools = usePools();

  it('reads work; every write throws ReadOnlyDatabaseError with the task id, before touching the file', () => {
    const path = join(pools.dir(), 'tasks.db');
    const lease = fileWithClaim(path, 20);
    const before = hashFile(path);
    const reader = pools.file(path, { readOnly: true });
    expect(reader.getStats()).toMatchObject({ total: 20, pending: 19, claimed: 1 });
    expect(reader.getTask(lease.id)?.status).toBe(TaskStatus.CLAIMED);
    expect(reader.getTasks().length).toBe(20);
    expect(reader.getTaskHistory(lease.id).length).toBeGreaterThan(0);
    expect(reader.checkIntegrity({ quick: true }).ok).toBe(true);
    for (const [method, args, taskId] of writeCalls(lease)) {
      const error = expectOmcError(
        () => (reader as unknown as Record<string, (...a: unknown[]) => unknown>)[method]?.(...args),
        'OMC_READ_ONLY',
      ) as OmcError & ReadOnlyFields;
      expect(error.name, method).toBe('ReadOnlyDatabaseError');
      expect(error.problem, method).toBe('opened_read_only');
      expect(error.path, method).toBe(path);
      expect(error.taskId, method).toBe(taskId);
      expect(error.message, method).toContain(`Cannot ${method}`);
    }
    reader.close();
    expect(hashFile(path)).toBe(before);
    expect(new Database(path, { readonly: true }).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('sees what a writer in another pool commits while it is open', () => {
    const path = join(pools.dir(), 'tasks.db');
    const writer = pools.file(path);
    const reader = pools.file(path, { readOnly: true });
    const task = writer.createTask({ title: 'live', description: 'written after the reader opened' });
    expect(reader.getTask(task.id)?.title).toBe('live');
    expect(reader.getStats().total).toBe(1);
  });

  it('an older schema is refused typed, not migrated, and the file is left as it was', () => {
    const path = join(pools.dir(), 'tasks.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    for (const statement of MIGRATIONS[0]?.statements ?? []) db.exec(statement);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 1');
    db.close();
    const before = hashFile(path);
    const error = expectOmcError(() => new TaskPool(path, { readOnly: true }), 'OMC_READ_ONLY') as OmcError &
      ReadOnlyFields;
    expect(error.problem).toBe('opened_read_only');
    expect(error.message).toContain(`has schema version 1, and this omc reads schema version ${SCHEMA_VERSION}`);
    expect(error.message).toContain('Open it once without readOnly');
    expect(hashFile(path)).toBe(before);
    expect(pools.file(path).getStats().total).toBe(0); // a writing pool still migrates it
  });

  it('a missing file, an empty file and an in-memory pool are refused typed, creating nothing', () => {
    const dir = pools.dir();
    const missing = join(dir, 'missing.db');
    expect(expectOmcError(() => new TaskPool(missing, { readOnly: true }), 'OMC_STORAGE').message).toContain(
      'readOnly never creates',
    );
    expect(listDir(dir)).toEqual([]);
    expectOmcError(() => new TaskPool(':memory:', { readOnly: true }), 'OMC_INVALID_INPUT');
    const empty = join(dir, 'empty.db');
    new Database(empty).close();
    const error = expectOmcError(() => new TaskPool(empty, { readOnly: true }), 'OMC_READ_ONLY');
    expect(error.message).toContain('is not an omc database yet');
    expect(statSync(empty).size).toBe(0);
  });
});

describe(`permissions (as ${OTHER_USER ? `uid ${OTHER_USER.uid}, in a child process: these tests run as root` : 'this user'})`, () => {
  const pools = usePools();
  beforeAll(() => assertBuiltPackageIsFresh());

  /** A directory the other user owns, with a closed pool file of `count` tasks (one claimed) in it. */
  function ownedFile(count = 30) {
    const dir = pools.dir();
    const path = join(dir, 'tasks.db');
    const lease = fileWithClaim(path, count);
    handOver(dir, path);
    return { dir, path, lease };
  }

  function expectReadOnlyError(outcome: { ok: unknown } | { error: unknown }, problem: string) {
    expect(outcome, JSON.stringify(outcome)).toHaveProperty('error');
    const { error } = outcome as { error: { name: string; code: string; problem: string; message: string } };
    expect(error).toMatchObject({ name: 'ReadOnlyDatabaseError', code: 'OMC_READ_ONLY', problem });
    return error;
  }

  it('a 0444 database: a writing pool is refused at open (file), leaves no -wal/-shm, and opens once writable', async () => {
    const { dir, path } = ownedFile();
    chmodSync(path, 0o444);
    const before = hashFile(path);
    const result = await openAsOtherUser(path, {});
    const error = expectReadOnlyError(result.open, 'file');
    expect(error.message).toContain(`${path} is not writable (EACCES)`);
    expect(error.message).toContain('readOnly: true');
    expect(listDir(dir)).toEqual(['tasks.db']);
    expect(hashFile(path)).toBe(before);
    chmodSync(path, 0o644);
    const writable = await openAsOtherUser(path, {}, [
      ['createTask', { title: 'after', description: 'chmod' }],
      ['getStats'],
    ]);
    expect(writable.open).toEqual({ ok: 'opened' });
    expect(writable.calls[1]).toMatchObject({ ok: { total: 31 } });
  });

  it('a read-only directory: a writing pool is refused at open (directory), for an existing and a new file', async () => {
    const { dir, path } = ownedFile();
    chmodSync(dir, 0o555);
    try {
      const before = hashFile(path);
      const error = expectReadOnlyError((await openAsOtherUser(path, {})).open, 'directory');
      expect(error.message).toContain(`The directory ${dir} is not writable`);
      expect(error.message).toContain('tasks.db-wal and tasks.db-shm');
      expectReadOnlyError((await openAsOtherUser(join(dir, 'new.db'), {})).open, 'directory');
      expect(listDir(dir)).toEqual(['tasks.db']);
      expect(hashFile(path)).toBe(before);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('a stale read-only -shm left by an older reader is named, not silently read-only', async () => {
    const { path } = ownedFile();
    const stale = new Database(path);
    stale.exec('select 1 from tasks'); // creates -wal and -shm; kept by the second connection below
    const keep = new Database(path);
    keep.exec('select 1 from tasks');
    stale.close();
    handOver(`${path}-wal`, `${path}-shm`);
    chmodSync(`${path}-shm`, 0o444);
    const error = expectReadOnlyError((await openAsOtherUser(path, {})).open, 'file');
    expect(error.message).toContain(`${path}-shm is not writable`);
    expect(error.message).toContain("SQLite's -shm file");
    keep.close();
  });

  it('readOnly on a 0444 database reads, refuses writes typed, and leaves nothing that keeps a writer out', async () => {
    const { dir, path, lease } = ownedFile();
    chmodSync(path, 0o444);
    const before = hashFile(path);
    const calls = [
      ['getStats'],
      ['getTask', lease.id],
      ...writeCalls(lease).map(([method, args]) => [method, ...args]),
    ];
    const result = await openAsOtherUser(path, { readOnly: true }, calls);
    expect(result.open).toEqual({ ok: 'opened' });
    expect(result.calls[0]).toMatchObject({ ok: { total: 30, claimed: 1 } });
    expect(result.calls[1]).toMatchObject({ ok: { id: lease.id, status: 'claimed' } });
    writeCalls(lease).forEach(([method, , taskId], i) => {
      const error = expectReadOnlyError(result.calls[i + 2] as never, 'opened_read_only') as { taskId?: string };
      expect(error.taskId ?? undefined, method).toBe(taskId);
    });
    expect(hashFile(path)).toBe(before);
    // SQLite's WAL reader created -wal/-shm (it must, to read safely), with the database's mode 0444; the
    // pool gave their owner write permission back, so making the database writable is enough.
    for (const side of listDir(dir).filter((name) => name !== 'tasks.db')) {
      expect(statSync(join(dir, side)).mode & 0o200, side).toBe(0o200);
    }
    chmodSync(path, 0o644);
    const writer = await openAsOtherUser(path, {}, [['completeTask', lease, 'done'], ['getStats']]);
    expect(writer.open).toEqual({ ok: 'opened' });
    expect(writer.calls[0]).toEqual({ ok: null });
    expect(writer.calls[1]).toMatchObject({ ok: { total: 30, completed: 1 } });
  });

  it('readOnly in a read-only directory without a -shm is refused (directory): SQLite cannot read it safely', async () => {
    const { dir, path } = ownedFile();
    chmodSync(dir, 0o555);
    try {
      const error = expectReadOnlyError((await openAsOtherUser(path, { readOnly: true })).open, 'directory');
      expect(error.message).toContain('tasks.db-shm');
      expect(listDir(dir)).toEqual(['tasks.db']);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
