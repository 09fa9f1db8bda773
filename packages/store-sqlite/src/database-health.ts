import { realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  DatabaseBusyError,
  DatabaseCorruptError,
  DiskFullError,
  OmcError,
  ReadOnlyDatabaseError,
  StorageError,
} from '@omc/core';
import type Database from 'better-sqlite3';

/** How often the side files are looked at: a deleted -wal is refused within this long of the next call. */
export const SIDE_FILE_CHECK_MS = 200;

/** A file's identity: the same path holding another file has another (dev, ino). */
interface FileIdentity {
  dev: bigint;
  ino: bigint;
}

/** The file's identity; undefined when it is gone; 'unknown' when it cannot be looked at (EACCES…). */
function identityOf(file: string): FileIdentity | undefined | 'unknown' {
  try {
    const stats = statSync(file, { bigint: true, throwIfNoEntry: false });
    return stats === undefined ? undefined : { dev: stats.dev, ino: stats.ino };
  } catch {
    return 'unknown';
  }
}

/**
 * Where SQLite keeps the side files: beside the file a symlink points to, and at an absolute path, so a
 * later `process.chdir` does not make them look deleted.
 */
function realFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether a rescue checkpoint copied every frame of the -wal into the main file, and what it said. */
interface RescueResult {
  complete: boolean;
  detail: string;
  /** Where a copy of the database was saved, when one was. */
  copy?: string;
}

/** A file found deleted or replaced, and how far the rescue got. */
interface LostFile {
  file: string;
  /** The database itself, or its -wal or -shm. */
  database: boolean;
  how: 'deleted' | 'replaced by another file';
  rescue: RescueResult;
}

/**
 * Everything the pool knows about the health of its file: how a driver error is reported, and the
 * checks made around each operation. One per pool. @internal
 */
export class DatabaseHealth {
  /** The database, -wal and -shm files as they were when the pool opened (WAL mode on a file only). */
  private readonly watched: { file: string; database: boolean; identity: FileIdentity | undefined }[] = [];
  /** performance.now() of the next side-file check; monotonic, so a clock change cannot stop the checks. */
  private nextCheckAt = 0;
  /** Set once a file was lost: every later call is refused. */
  private lost: LostFile | undefined;

  constructor(
    protected readonly db: Database.Database,
    readonly path: string,
  ) {
    if (path === ':memory:' || path === '' || db.pragma('journal_mode', { simple: true }) !== 'wal') return;
    const real = realFile(path);
    for (const file of [real, `${real}-wal`, `${real}-shm`]) {
      const identity = identityOf(file);
      this.watched.push({ file, database: file === real, identity: identity === 'unknown' ? undefined : identity });
    }
    this.nextCheckAt = performance.now() + SIDE_FILE_CHECK_MS;
    // Also between calls: a -wal deleted while the pool sits idle is rescued before a crash can lose it.
    // Unref'd, so it never keeps a process alive; it ends with the connection, and holds the pool only
    // weakly, so a pool dropped without close() can still be collected.
    const self = new WeakRef(this);
    const timer = setInterval(() => {
      const health = self.deref();
      if (health === undefined || !health.db.open) clearInterval(timer);
      else if (health.lost === undefined) health.checkSideFiles();
      else health.retryRescue();
    }, SIDE_FILE_CHECK_MS);
    timer.unref();
  }

  /**
   * Called before every operation; throws when the file can no longer be trusted. Costs one monotonic
   * clock read; every SIDE_FILE_CHECK_MS it also stats the database, -wal and -shm files.
   */
  beforeOperation(operation: string): void {
    if (this.lost === undefined) {
      if (this.watched.length === 0) return;
      const now = performance.now();
      if (now < this.nextCheckAt) return;
      this.checkSideFiles();
      if (this.lost === undefined) return;
    } else {
      this.retryRescue();
    }
    throw this.refusal(operation);
  }

  /** Turn a driver error into a typed omc error that says what failed and what to do. */
  translate(error: unknown, operation: string, taskId: string | undefined): OmcError {
    return translateSqliteError(error, this.path, operation, taskId);
  }

  /**
   * A -wal (or -shm) deleted or replaced while open: this connection still writes into the old,
   * unlinked file, which no new connection can see and which vanishes when the process ends, taking
   * every commit since the last checkpoint with it. Copy those commits into the main file while the
   * old file is still reachable through this connection; every call from then on is refused, since
   * going on would split the database between two -wal files.
   */
  private checkSideFiles(): void {
    this.nextCheckAt = performance.now() + SIDE_FILE_CHECK_MS;
    for (const watched of this.watched) {
      const now = identityOf(watched.file);
      if (now === 'unknown') continue;
      if (watched.identity === undefined) {
        // Not there at open (a reader that never needed one): watch it from when it appears.
        watched.identity = now;
        continue;
      }
      if (now !== undefined && now.dev === watched.identity.dev && now.ino === watched.identity.ino) continue;
      const how = now === undefined ? 'deleted' : 'replaced by another file';
      const rescue = watched.database ? this.saveCopy(watched.file) : this.checkpoint('TRUNCATE');
      this.lost = { file: watched.file, database: watched.database, how, rescue };
      return;
    }
  }

  /**
   * Copy every frame of the (unlinked) -wal this connection holds into the main file. TRUNCATE waits
   * up to busyTimeoutMs for readers; PASSIVE, for retries, waits for nothing.
   */
  private checkpoint(mode: 'TRUNCATE' | 'PASSIVE'): RescueResult {
    if (this.db.inTransaction) return { complete: false, detail: 'a transaction was open' };
    try {
      const [result] = this.db.pragma(`wal_checkpoint(${mode})`) as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      if (result === undefined || result.log < 0) return { complete: false, detail: 'not in WAL mode' };
      return result.checkpointed === result.log
        ? { complete: true, detail: 'checkpoint complete' }
        : {
            complete: false,
            detail: `checkpoint copied ${result.checkpointed} of ${result.log} frames; a reader held the rest`,
          };
    } catch (error) {
      return { complete: false, detail: `checkpoint failed: ${(error as Error).message}` };
    }
  }

  /**
   * The database file itself moved, deleted or replaced: SQLite goes on writing into the file it
   * opened (in WAL mode it does not notice), which a deleted file takes to the grave and a moved one
   * separates from its -wal. Checkpoint (so a moved file is whole on its own), then write a complete
   * copy of what this connection sees beside the old path, or in the temp dir if that folder is gone.
   */
  private saveCopy(file: string): RescueResult {
    const checkpoint = this.checkpoint('TRUNCATE');
    const name = `${basename(file)}.rescued-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const failures: string[] = [];
    for (const dir of [dirname(file), tmpdir()]) {
      const copy = join(dir, name);
      try {
        this.db.prepare('VACUUM INTO ?').run(copy);
        return { complete: true, detail: `copy saved as ${copy}; ${checkpoint.detail}`, copy };
      } catch (error) {
        failures.push(`${copy}: ${(error as Error).message}`);
      }
    }
    return { complete: false, detail: `no copy could be saved (${failures.join('; ')}); ${checkpoint.detail}` };
  }

  /** A refusal after the fault: retry an incomplete -wal copy, without waiting for anyone this time. */
  private retryRescue(): void {
    const lost = this.lost as LostFile;
    if (!lost.rescue.complete && !lost.database) lost.rescue = this.checkpoint('PASSIVE');
  }

  private refusal(operation: string): OmcError {
    return (this.lost as LostFile).database ? this.databaseLost(operation) : this.walLost(operation);
  }

  private databaseLost(operation: string): ReadOnlyDatabaseError {
    const { file, how, rescue } = this.lost as LostFile;
    const kept =
      rescue.copy !== undefined
        ? `The pool saved a complete copy of the database as this pool last saw it, with every task it acknowledged, as ${rescue.copy}.`
        : `The pool could NOT save a copy of it (${rescue.detail}): the tasks it acknowledged live only in the old file this process still holds and are lost when it ends, unless the file was only moved.`;
    return new ReadOnlyDatabaseError(
      this.path,
      'file',
      `${operation} refused: ${file} was ${how} while this pool had it open, so its writes would reach a file no other process can open. ${kept} This pool refuses every further call: close it; if the file was moved, open it where it is now; if it was deleted, ${rescue.copy === undefined ? 'restore a backup' : `move ${rescue.copy} to ${file}`} and open it again. Then find what moved or deleted the file and stop it.`,
    );
  }

  private walLost(operation: string): DatabaseCorruptError {
    const { file, how, rescue } = this.lost as LostFile;
    const kept = rescue.complete
      ? `The pool copied every write it had acknowledged into ${this.path} when it noticed (${rescue.detail}), so nothing is lost.`
      : `The pool could NOT copy the writes acknowledged since the last checkpoint into ${this.path} (${rescue.detail}): they live only in the old file this process still holds and are lost when it ends. Keep this process running: the pool retries the copy every ${SIDE_FILE_CHECK_MS} ms and at each call.`;
    return new DatabaseCorruptError(
      this.path,
      'wal_lost',
      `${operation} refused: ${file} was ${how} while this pool had the database open; writes since the last checkpoint lived only there. ${kept} This pool refuses every further call: close it, ${how === 'replaced by another file' ? `move the file now at ${file} aside (it is not this database's log), ` : ''}and open the database again. Then find what removed the file (a clean-up job deleting *-wal or *-shm files, a copy or move of the database without them) and stop it.`,
      { findings: [`${file} ${how}`, rescue.detail] },
    );
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
