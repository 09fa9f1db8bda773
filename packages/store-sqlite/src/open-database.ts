import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  ForeignDatabaseError,
  InvalidInputError,
  NotADatabaseError,
  OmcError,
  ReadOnlyDatabaseError,
  SchemaTooNewError,
  StorageError,
} from '@omc/core';
import type Database from 'better-sqlite3';
import { translateSqliteError } from './database-health.js';
import { checkIntegrity, corruptAtOpen, failedCheck, hasSqliteSignature, isCorruption } from './integrity.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { addonFailure, loadDriver } from './native-driver.js';

/** 'omc!' in ASCII: marks a file as an omc database in its header (`PRAGMA application_id`). */
export const APPLICATION_ID = 0x6f6d6321;

/** What core's engine-neutral file errors call the file this adapter expected. */
const SQLITE_FILE = 'a SQLite database';

/**
 * `PRAGMA journal_mode = WAL`, retried while another connection holds the lock it needs: SQLite can return
 * SQLITE_BUSY here without calling the busy handler (when several processes switch a new file to WAL at
 * once, one may be mid-change), so the busy timeout alone does not cover it. Retries for up to
 * `busyTimeoutMs`, then lets SQLITE_BUSY through (a typed DatabaseBusyError).
 */
function enterWal(db: Database.Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isSqliteError(error, 'SQLITE_BUSY') || Date.now() + pause > deadline) throw error;
      Atomics.wait(PAUSE, 0, 0, pause);
    }
  }
}

/** A cell to wait on: Atomics.wait is the synchronous sleep the synchronous open needs. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** How to open the database file. @internal */
export interface OpenOptions {
  busyTimeoutMs: number;
  synchronous: 'normal' | 'full';
  /** Open with SQLITE_OPEN_READONLY: never create, migrate or write. */
  readOnly: boolean;
  /** Run `quick_check` or `integrity_check` before anything else, and refuse a damaged file. */
  checkIntegrityOnOpen: false | 'quick' | 'full';
}

/**
 * `PRAGMA cell_size_check = ON`: SQLite checks every cell of a b-tree page against the page as it loads
 * it, so more kinds of damage are reported (SQLITE_CORRUPT) before a wrong row is read. Its cost on
 * create, claim and complete is within the noise of `pnpm bench` (workload `cellsize`). It cannot see a
 * well-formed page in the wrong place (a damaged index that reads as missing tasks): checkIntegrity can.
 */
const CELL_SIZE_CHECK = true;

function isSqliteError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Open a database and bring its schema up to date. Every refusal (not a database, too new, another
 * application's, damaged, not writable) happens before anything is written, and leaves the file as it
 * was; a pool that writes is refused before SQLite creates any `-wal`/`-shm` file beside it.
 * @internal
 */
export function openDatabase(path: string, options: OpenOptions): Database.Database {
  const inMemory = path === ':memory:' || path === '';
  if (options.readOnly && inMemory) {
    throw new InvalidInputError('readOnly', 'readOnly needs a database file: an in-memory pool starts empty.');
  }
  if (!inMemory && !options.readOnly) refuseUnwritable(path);
  const sideFiles = inMemory ? [] : SIDE_SUFFIXES.filter((suffix) => !existsSync(path + suffix));
  if (options.readOnly && !existsSync(path)) {
    throw new StorageError(`Cannot open ${path} read-only: it does not exist, and readOnly never creates a file.`);
  }
  const driver = loadDriver();
  let db: Database.Database;
  try {
    db = new driver.Database(path, {
      timeout: options.busyTimeoutMs,
      readonly: options.readOnly,
      fileMustExist: options.readOnly,
    });
  } catch (error) {
    throw (
      addonFailure(error, driver.version) ??
      readOnlyAtOpen(path, error) ??
      new StorageError(`Cannot open ${path}: ${(error as Error).message}. Check the path and its permissions.`, {
        cause: error,
      })
    );
  }
  try {
    // A connection setting, not a write: it holds for every page this connection reads from now on.
    if (CELL_SIZE_CHECK) db.pragma('cell_size_check = ON');
    let found: Header;
    try {
      found = readHeader(db, path);
    } finally {
      if (options.readOnly) releaseCreatedSideFiles(path, sideFiles);
    }
    if (found.version > SCHEMA_VERSION) throw new SchemaTooNewError(path, found.version, SCHEMA_VERSION);
    if (found.version > 0 && found.applicationId !== APPLICATION_ID) {
      throw new ForeignDatabaseError(path, `application_id is ${found.applicationId}`, SQLITE_FILE);
    }
    if (found.version === 0 && found.tables.length > 0) {
      throw new ForeignDatabaseError(
        path,
        `it already has tables: ${found.tables.slice(0, 5).join(', ')}`,
        SQLITE_FILE,
      );
    }
    if (options.checkIntegrityOnOpen !== false) {
      const report = checkIntegrity(db, options.checkIntegrityOnOpen === 'quick');
      if (!report.ok) throw failedCheck(path, report);
    }
    if (options.readOnly) {
      if (found.version < SCHEMA_VERSION) throw migrationRefused(path, found.version);
      return db;
    }
    if (!inMemory) {
      // WAL lets readers run beside the single writer, which is what many worker processes need.
      enterWal(db, options.busyTimeoutMs);
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    if (found.version < SCHEMA_VERSION) migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    if (OmcError.isInstance(error)) throw error;
    if (isCorruption(error)) throw corruptAtOpen(path, error);
    throw readOnlyAtOpen(path, error) ?? translateSqliteError(error, path, `open ${path}`, undefined);
  }
}

/** The files SQLite keeps beside a WAL database. */
const SIDE_SUFFIXES = ['-wal', '-shm'] as const;

/** Why this process may not write `file` (a permission or a read-only mount), or undefined when it may. */
function writable(file: string): NodeJS.ErrnoException | undefined {
  try {
    accessSync(file, constants.W_OK);
    return undefined;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    // Anything else (a missing directory…) is not a permission: SQLite reports it when it opens.
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? (error as NodeJS.ErrnoException) : undefined;
  }
}

const READ_ONLY_INSTEAD = 'To read it without writing, open it with readOnly: true.';

/**
 * Refuse, before SQLite opens anything, a database a writing pool could not write: SQLite would open a
 * read-only file silently read-only (and create `-wal`/`-shm` files it then cannot remove), and fails in
 * a read-only directory only at the first read. `access(2)` answers for this process's user, as SQLite
 * would (root may write a 0444 file; nobody may write on a read-only mount).
 */
function refuseUnwritable(path: string): void {
  const dir = dirname(resolve(path));
  for (const file of [path, ...SIDE_SUFFIXES.map((suffix) => path + suffix)]) {
    if (!existsSync(file)) continue;
    const denied = writable(file);
    if (denied === undefined) continue;
    const side = file !== path;
    throw new ReadOnlyDatabaseError(
      path,
      'file',
      `${file} is not writable (${denied.code}), so this pool cannot write ${side ? `the database ${path}` : 'it'}; ` +
        'nothing was opened or created. ' +
        (side
          ? `It is SQLite's ${file.slice(path.length)} file: make it writable (chmod u+w), or, when no process has the database open, delete it. `
          : `Make it writable (chmod u+w ${path}). `) +
        READ_ONLY_INSTEAD,
      { cause: denied },
    );
  }
  const denied = writable(dir);
  if (denied !== undefined) {
    const name = basename(path);
    throw new ReadOnlyDatabaseError(
      path,
      'directory',
      `The directory ${dir} is not writable (${denied.code}), and SQLite must create ${name}-wal and ${name}-shm ` +
        `beside ${existsSync(path) ? 'the database' : 'a new database'} to write it; nothing was opened or created. ` +
        `Make the directory writable or move the database to one that is. ${READ_ONLY_INSTEAD}`,
      { cause: denied },
    );
  }
}

/** The typed error for a read-only refusal SQLite itself reported while opening. */
function readOnlyAtOpen(path: string, error: unknown): ReadOnlyDatabaseError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const dir = dirname(resolve(path));
  if (code === 'SQLITE_READONLY_DIRECTORY' || (code === 'SQLITE_CANTOPEN' && writable(dir) !== undefined)) {
    const name = basename(path);
    return new ReadOnlyDatabaseError(
      path,
      'directory',
      `The directory ${dir} is not writable, and SQLite needs ${name}-shm beside the database to read or write it ` +
        `in WAL mode (${code}); nothing was created. Make the directory writable, or copy the database to one that is.`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new ReadOnlyDatabaseError(
      path,
      'file',
      `${path} cannot be written (${code}: ${(error as Error).message}); nothing was changed. ` +
        `Check the permissions of ${path} and its -wal/-shm files. ${READ_ONLY_INSTEAD}`,
      { cause: error },
    );
  }
  return undefined;
}

/**
 * A read-only connection to a WAL database makes SQLite create the `-wal`/`-shm` files when they are
 * missing, with the database file's mode, and it cannot remove them. Left 0444 beside a 0444 database,
 * they would keep a writer out even after the database is made writable again; so the ones this open
 * created get their owner's write bit back. They hold no data.
 */
function releaseCreatedSideFiles(path: string, missingBefore: readonly string[]): void {
  for (const suffix of missingBefore) {
    const file = path + suffix;
    try {
      const { mode, uid } = statSync(file);
      if (uid === process.getuid?.() && (mode & 0o200) === 0) chmodSync(file, (mode & 0o7777) | 0o200);
    } catch {
      // Not created (SQLite had no need) or not ours: nothing to give back.
    }
  }
}

function migrationRefused(path: string, version: number): ReadOnlyDatabaseError {
  const what = version === 0 ? 'is not an omc database yet (it has no schema)' : `has schema version ${version}`;
  return new ReadOnlyDatabaseError(
    path,
    'opened_read_only',
    `${path} ${what}, and this omc reads schema version ${SCHEMA_VERSION}; opened with readOnly: true, it was not ` +
      'migrated and nothing was written. Open it once without readOnly to bring it up to date.',
  );
}

interface Header {
  version: number;
  applicationId: number;
  tables: string[];
}

/** Read everything the refusals need in one read transaction, so a concurrent creator is seen whole or not at all. */
function readHeader(db: Database.Database, path: string): Header {
  try {
    return db.transaction(() => ({
      version: db.pragma('user_version', { simple: true }) as number,
      applicationId: db.pragma('application_id', { simple: true }) as number,
      tables: (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    }))();
  } catch (error) {
    if (isSqliteError(error, 'SQLITE_NOTADB')) {
      // SQLite's signature with a header it cannot use is a damaged database, not some other file.
      throw hasSqliteSignature(path) ? corruptAtOpen(path, error) : new NotADatabaseError(path, error, SQLITE_FILE);
    }
    throw error;
  }
}

/**
 * Apply pending migrations under the write lock. The version is re-read inside, so when two processes
 * open a new file at once, the second finds the work done and applies nothing.
 */
function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current === 0) {
      const tables = db.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number };
      if (tables.n > 0)
        throw new ForeignDatabaseError(path, 'another program created tables in it while omc opened it', SQLITE_FILE);
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements) db.exec(statement);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
