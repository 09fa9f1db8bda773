import {
  DatabaseBusyError,
  DatabaseCorruptError,
  DiskFullError,
  OmcError,
  ReadOnlyDatabaseError,
  StorageError,
} from '@omc/core';
import type Database from 'better-sqlite3';

/**
 * Everything the pool knows about the health of its file: how a driver error is reported, and the
 * checks made around each operation. One per pool. @internal
 */
export class DatabaseHealth {
  constructor(
    protected readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** Called before every operation; throws when the file can no longer be trusted. */
  beforeOperation(_operation: string): void {}

  /** Turn a driver error into a typed omc error that says what failed and what to do. */
  translate(error: unknown, operation: string, taskId: string | undefined): OmcError {
    return translateSqliteError(error, this.path, operation, taskId);
  }
}

/** The driver's result code (`SQLITE_BUSY_SNAPSHOT`…), or undefined for an error that is not SQLite's. */
function sqliteCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** `code` is `base` or one of its extended codes (`SQLITE_IOERR` covers `SQLITE_IOERR_WRITE`). */
function isCode(code: string, base: string): boolean {
  return code === base || code.startsWith(`${base}_`);
}

/**
 * Turn an error thrown by better-sqlite3 into the typed omc error a user can act on: each names the
 * operation, the task (where there is one) and the file, keeps the driver error as `cause`, and says
 * what to do. An omc error passes through unchanged. Usable at open time as well as per operation.
 * @internal
 */
export function translateSqliteError(
  error: unknown,
  path: string,
  operation: string,
  taskId: string | undefined,
): OmcError {
  if (OmcError.isInstance(error)) return error;
  const options = { taskId, cause: error };
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const what = `${operation}${taskId === undefined ? '' : ` for task ${taskId}`}`;
  const said = `SQLite said: ${code === undefined ? '' : `${code}, `}${detail}`;
  if (code === undefined) {
    return new StorageError(`${what} failed in SQLite: ${detail}.`, options);
  }
  if (isCode(code, 'SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new DatabaseCorruptError(
      path,
      'corrupt',
      `${what} failed: ${path} is damaged (${said}). The call wrote nothing. Stop the processes using it, keep a copy of the file with its -wal and -shm, check it with \`sqlite3 ${path} "PRAGMA integrity_check"\`, then restore a backup or recover it with \`sqlite3 ${path} .recover\`.`,
      { ...options, findings: [detail] },
    );
  }
  if (code === 'SQLITE_FULL') {
    return new DiskFullError(
      path,
      `${what} failed: the disk holding ${path} is full (or the database reached its size limit); the call wrote nothing and every task acknowledged before is still there. Free space on that disk and retry (${said}).`,
      options,
    );
  }
  if (isCode(code, 'SQLITE_BUSY')) {
    const snapshot = code === 'SQLITE_BUSY_SNAPSHOT';
    return new DatabaseBusyError(
      path,
      `${what} did nothing: ${
        snapshot
          ? `another connection wrote to ${path} while this one was reading it`
          : `another connection held the write lock on ${path} longer than busyTimeoutMs`
      }. Retry the call; if it keeps happening, raise the pool's busyTimeoutMs or shorten the other program's long transactions (${said}).`,
      options,
    );
  }
  if (isCode(code, 'SQLITE_READONLY')) {
    if (code === 'SQLITE_READONLY_DIRECTORY') {
      return new ReadOnlyDatabaseError(
        path,
        'directory',
        `${what} failed: the folder holding ${path} is not writable, so SQLite cannot create its -wal and -shm files; nothing was written. Make the folder writable, or open the pool with readOnly: true to only read (${said}).`,
        options,
      );
    }
    if (code === 'SQLITE_READONLY_DBMOVED') {
      return new ReadOnlyDatabaseError(
        path,
        'file',
        `${what} failed: ${path} was moved or deleted while the pool had it open; nothing was written. Close this pool and open the file at its new place (${said}).`,
        options,
      );
    }
    return new ReadOnlyDatabaseError(
      path,
      'file',
      `${what} failed: ${path} (or its -wal or -shm file) is not writable; nothing was written. Check the files' permissions and owner and the mount (read-only file system?), or open the pool with readOnly: true to only read (${said}).`,
      options,
    );
  }
  if (isCode(code, 'SQLITE_IOERR')) {
    return new StorageError(
      `${what} failed: reading or writing ${path} failed in the operating system (${said}). The call wrote nothing. Check the disk and the mount the file is on (the system log for I/O errors, a network file system that went away, a -wal or -shm file removed or made unreadable), then retry or reopen the pool.`,
      options,
    );
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new StorageError(
      `${what} failed: SQLite could not open ${path} or a file beside it (${said}). Check that the file and its folder still exist and are readable and writable by this process.`,
      options,
    );
  }
  return new StorageError(`${what} failed in SQLite for ${path} (${said}).`, options);
}
