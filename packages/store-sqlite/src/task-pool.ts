import { type Clock, type LeaseOptions, StoreClosedError, validateOptionalBoolean, validateOptions } from '@omc/core';
import { DriverTaskStore, step } from '@omc/core/driver';
import type Database from 'better-sqlite3';
import { checkIntegrity, type IntegrityReport } from './integrity.js';
import { resolvePoolOptions } from './pool-options.js';
import { SqliteDriver } from './sqlite-driver.js';

/**
 * Options of {@link TaskPool}. Every field has a default; the lease options (`leaseMs`, `maxAttempts`,
 * `backoff`, `random`) are core's {@link LeaseOptions}.
 */
export interface TaskPoolOptions extends LeaseOptions {
  /** Where "now" comes from; inject a fake clock in tests. Default: the wall clock. */
  clock?: Clock;
  /** Largest metadata, in UTF-8 bytes of JSON. Default 256 KiB. */
  maxMetadataBytes?: number;
  /** How long a write waits for another process's lock before failing. Default 10 000 ms. */
  busyTimeoutMs?: number;
  /**
   * `normal` (default): in WAL mode, a committed write survives a crash of the process; the last
   * transactions may be lost if the machine loses power. `full`: survives power loss too, slower.
   */
  synchronous?: 'normal' | 'full';
  /**
   * How often, while `onChange` has listeners, the pool looks for writes by other processes (a read of
   * `PRAGMA data_version`, which costs no I/O). Default 20 ms. Writes through this pool are signalled at
   * once, whatever this is; an in-memory pool never polls.
   */
  changePollMs?: number;
  /**
   * Open an existing database for reading only (default false). Reads (`getTask`, `getTasks`,
   * `getStats`, `getTaskHistory`, `onChange`) work; every other method throws `ReadOnlyDatabaseError`
   * (`problem: 'opened_read_only'`, with the task id where there is one) before touching the file. The
   * file is opened with SQLite's read-only flag: never created, migrated (an older schema is refused,
   * typed) or written. SQLite reads a WAL database through its `-shm` file: when another process has
   * the database open, the pool shares its `-wal`/`-shm` and sees its commits as they land; when they
   * are missing, SQLite creates them empty (the pool gives their owner write permission back, so they
   * never keep a later writer out), and in a read-only directory without them the open is refused
   * (`ReadOnlyDatabaseError`, `problem: 'directory'`), since SQLite cannot read the file safely. Side
   * files a reader creates belong to the reader's OS user: run readers as the writer's user (or open a
   * writer first), or a writer of another user may find them not writable.
   *
   * ### Examples
   * ```ts
   * const reader = new TaskPool('/srv/archive/tasks.db', { readOnly: true });
   * console.log(reader.getStats());
   * reader.createTask({ title: 'x', description: 'y' }); // throws ReadOnlyDatabaseError
   * ```
   */
  readOnly?: boolean;
  /**
   * Check the file before using it and refuse a damaged one with `DatabaseCorruptError` (its
   * `findings` say what SQLite found); nothing is written first. `true` or `'quick'`: `PRAGMA
   * quick_check`; `'full'`: `PRAGMA integrity_check`, which also cross-checks every index against its
   * table. Default false. Both read the whole file: measured by `pnpm bench` (workload `integrity`), about
   * 11 ms (quick) and 36 ms (full) at 10 000 tasks, 90 ms and 310 ms at 100 000.
   *
   * ### Examples
   * ```ts
   * const pool = new TaskPool('./tasks.db', { checkIntegrityOnOpen: 'quick' });
   * ```
   */
  checkIntegrityOnOpen?: boolean | 'quick' | 'full';
}

/**
 * The guide's task pool on SQLite: synchronous, atomic claims, priority order, persistent when given a
 * file. Several OS processes may share one file (WAL mode, busy timeout, write lock taken up front).
 *
 * ### Examples
 * ```ts
 * import { TaskPool, TaskPriority, TaskStatus } from '@omc/store-sqlite';
 *
 * const pool = new TaskPool('./tasks.db'); // or new TaskPool() for in-memory
 * pool.createTask({ title: 'Fix bug', description: 'Patch the login', priority: TaskPriority.HIGH });
 * const task = pool.claimTask('agent-1');
 * if (task) pool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'done' });
 * console.log(pool.getStats());
 * pool.close();
 * ```
 */
export class TaskPool extends DriverTaskStore<'sync'> {
  /** The better-sqlite3 handle. Private, but the guide's raw-SQL examples reach it as `pool['db']`. */
  private readonly db: Database.Database;

  /**
   * @param dbPath A database file, created when missing; `':memory:'` (the default) for a private
   * in-memory pool.
   */
  constructor(dbPath = ':memory:', options?: TaskPoolOptions) {
    // Options are checked before the file is opened, so bad options never create or touch a file.
    const resolved = resolvePoolOptions(options);
    const driver = new SqliteDriver(dbPath, resolved);
    super(driver, resolved);
    this.db = driver.db;
  }

  /**
   * Ask SQLite whether the file is sound: `quick` (default false) runs `PRAGMA quick_check`, which
   * checks every page's structure; otherwise `PRAGMA integrity_check` also checks that every index
   * entry matches its row (a damaged index makes `getTask` miss a task that is there). Reads the whole
   * file and writes nothing; at most 100 findings. A damaged page is a finding, not an exception.
   *
   * ### Examples
   * ```ts
   * const report = pool.checkIntegrity({ quick: true });
   * if (!report.ok) console.error('tasks.db is damaged:', report.findings.join('\n'));
   * ```
   */
  checkIntegrity(options?: { quick?: boolean }): IntegrityReport {
    if (this.isClosed) throw new StoreClosedError('checkIntegrity');
    const quick = validateOptionalBoolean('quick', validateOptions('checkIntegrity', options).quick) ?? false;
    return this.run('checkIntegrity', () => step(checkIntegrity(this.db, quick)));
  }
}
