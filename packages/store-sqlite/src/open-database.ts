import { ForeignDatabaseError, NotADatabaseError, SchemaTooNewError, StorageError } from '@omc/core';
import type Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { addonFailure, loadDriver } from './native-driver.js';

/** 'omc!' in ASCII: marks a file as an omc database in its header (`PRAGMA application_id`). */
export const APPLICATION_ID = 0x6f6d6321;

/** How to open the database file. @internal */
export interface OpenOptions {
  busyTimeoutMs: number;
  synchronous: 'normal' | 'full';
}

function isSqliteError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Open a database and bring its schema up to date. Every refusal (not a database, too new, another
 * application's) happens before anything is written, and leaves the file as it was.
 * @internal
 */
export function openDatabase(path: string, options: OpenOptions): Database.Database {
  const driver = loadDriver();
  let db: Database.Database;
  try {
    db = new driver.Database(path, { timeout: options.busyTimeoutMs });
  } catch (error) {
    throw (
      addonFailure(error, driver.version) ??
      new StorageError(`Cannot open ${path}: ${(error as Error).message}. Check the path and its permissions.`, {
        cause: error,
      })
    );
  }
  try {
    const found = readHeader(db, path);
    if (found.version > SCHEMA_VERSION) throw new SchemaTooNewError(path, found.version, SCHEMA_VERSION);
    if (found.version > 0 && found.applicationId !== APPLICATION_ID) {
      throw new ForeignDatabaseError(path, `application_id is ${found.applicationId}`);
    }
    if (found.version === 0 && found.tables.length > 0) {
      throw new ForeignDatabaseError(path, `it already has tables: ${found.tables.slice(0, 5).join(', ')}`);
    }
    if (path !== ':memory:' && path !== '') {
      // WAL lets readers run beside the single writer, which is what many worker processes need.
      db.pragma('journal_mode = WAL');
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    if (found.version < SCHEMA_VERSION) migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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
    if (isSqliteError(error, 'SQLITE_NOTADB')) throw new NotADatabaseError(path, error);
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
        throw new ForeignDatabaseError(path, 'another program created tables in it while omc opened it');
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements) db.exec(statement);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
