import { OmcError, StorageError } from '@omc/core';
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
    if (OmcError.isInstance(error)) return error;
    const code = (error as { code?: string }).code;
    const advice =
      code === 'SQLITE_BUSY'
        ? ' Another process held the write lock longer than busyTimeoutMs; raise it or shorten long transactions.'
        : '';
    return new StorageError(
      `${operation} failed in SQLite${taskId ? ` for task ${taskId}` : ''}: ${(error as Error).message}.${advice}`,
      { taskId, cause: error },
    );
  }
}
