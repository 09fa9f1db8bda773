import type { TaskStatus } from './task.js';

const MARKER = Symbol.for('omc.error');

/** Stable machine-readable error codes. They never change meaning once released. */
export type OmcErrorCode =
  | 'OMC_INVALID_INPUT'
  | 'OMC_INVALID_TRANSITION'
  | 'OMC_STORE_CLOSED'
  | 'OMC_NOT_A_DATABASE'
  | 'OMC_SCHEMA_TOO_NEW'
  | 'OMC_FOREIGN_DATABASE'
  | 'OMC_STORAGE'
  | 'OMC_LEASE_LOST'
  /** A swarm was asked to do something its state does not allow (start twice, start with no agents). */
  | 'OMC_SWARM_STATE'
  /** An attempt was stopped: its timeout ran out, or the swarm shut down past its grace period. */
  | 'OMC_ATTEMPT_ABORTED'
  /** A command agent's program exited with a non-zero code, was killed, or did not start. */
  | 'OMC_COMMAND_FAILED'
  /** A model provider call failed or is misconfigured. */
  | 'OMC_MODEL'
  /** A model object or model options that a role agent cannot drive. */
  | 'OMC_MODEL_UNSUPPORTED'
  /** A model call got no answer within the agent's `timeoutMs`. */
  | 'OMC_MODEL_TIMEOUT'
  /** The provider package a configured model needs is not installed. */
  | 'OMC_PROVIDER_NOT_INSTALLED'
  /** A native database driver (e.g. better-sqlite3) cannot run here: wrong Node.js, never built, built for another. */
  | 'OMC_NATIVE_DRIVER'
  /** The database file is damaged (corrupt pages, truncated, its write-ahead log removed while open). */
  | 'OMC_DATABASE_CORRUPT'
  /** The database cannot be written: the file or its folder is read-only, or the pool was opened read-only. */
  | 'OMC_READ_ONLY'
  /** The disk (or the database's size limit) is full; the write was not made. */
  | 'OMC_DISK_FULL'
  /** Another connection held the database's lock longer than the busy timeout; the call did nothing. */
  | 'OMC_DATABASE_BUSY'
  /** A command agent refused to run: a task's text would have become an option of the program. */
  | 'OMC_UNSAFE_ARGUMENT'
  /** A store implements a TaskStore contract version the caller does not support. */
  | 'OMC_UNSUPPORTED_STORE';

/**
 * Base class of every error omc throws. Check with `OmcError.isInstance(e)` rather than
 * `instanceof`: it also works when two copies of `@omc/core` are installed.
 *
 * ### Examples
 * ```ts
 * try { pool.updateTask(id, { status: TaskStatus.PENDING }); }
 * catch (e) { if (OmcError.isInstance(e)) console.error(e.code, e.taskId, e.message); }
 * ```
 */
export class OmcError extends Error {
  /** Stable code, for programs. */
  readonly code: OmcErrorCode;
  /** The task concerned, where there is one. */
  readonly taskId: string | undefined;

  constructor(code: OmcErrorCode, message: string, options?: { taskId?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.taskId = options?.taskId;
    // A registry symbol rather than instanceof, so the check holds across two copies of @omc/core.
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for any omc error, across package copies. */
  static isInstance(error: unknown): error is OmcError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** Input was refused before anything was written. `field` names the offending input. */
export class InvalidInputError extends OmcError {
  readonly field: string;
  constructor(field: string, message: string, options?: { taskId?: string; cause?: unknown }) {
    super('OMC_INVALID_INPUT', message, options);
    this.field = field;
  }
  static override isInstance(error: unknown): error is InvalidInputError {
    return OmcError.isInstance(error) && error.code === 'OMC_INVALID_INPUT';
  }
}

/** A status change the state machine forbids; nothing was written. */
export class InvalidTransitionError extends OmcError {
  readonly from: TaskStatus;
  readonly to: TaskStatus;
  constructor(taskId: string, from: TaskStatus, to: TaskStatus, message: string) {
    super('OMC_INVALID_TRANSITION', message, { taskId });
    this.from = from;
    this.to = to;
  }
  static override isInstance(error: unknown): error is InvalidTransitionError {
    return OmcError.isInstance(error) && error.code === 'OMC_INVALID_TRANSITION';
  }
}

/** The store was used after `close()`. */
export class StoreClosedError extends OmcError {
  constructor(operation: string) {
    super('OMC_STORE_CLOSED', `Cannot ${operation}: the task store is closed. Open a new one.`);
  }
}

/**
 * The file is not a database the store can read; it was left untouched. An adapter names what it
 * expected in `kind` (e.g. `'a SQLite database'`); the default is engine-neutral.
 */
export class NotADatabaseError extends OmcError {
  readonly path: string;
  constructor(path: string, cause?: unknown, kind = 'a database this store can read') {
    super(
      'OMC_NOT_A_DATABASE',
      `${path} is not ${kind} (or is encrypted or corrupt). It was left untouched; pass the path of an omc database or a new file.`,
      { cause },
    );
    this.path = path;
  }
}

/** The database was written by a newer omc; it was left untouched. */
export class SchemaTooNewError extends OmcError {
  readonly found: number;
  readonly supported: number;
  constructor(path: string, found: number, supported: number) {
    super(
      'OMC_SCHEMA_TOO_NEW',
      `${path} has schema version ${found}, but this omc understands up to ${supported}. It was left untouched; upgrade omc to open it.`,
    );
    this.found = found;
    this.supported = supported;
  }
}

/**
 * The database belongs to another application; it was left untouched. `detail` says how that was
 * seen; an adapter names the file's kind in `kind` (e.g. `'a SQLite database'`).
 */
export class ForeignDatabaseError extends OmcError {
  readonly path: string;
  constructor(path: string, detail: string, kind = 'a database') {
    super(
      'OMC_FOREIGN_DATABASE',
      `${path} is ${kind} that omc did not create (${detail}). It was left untouched; use a new file for the task pool.`,
    );
    this.path = path;
  }
}

/** The storage engine failed (disk full, lock held too long…). `cause` has the original error. */
export class StorageError extends OmcError {
  constructor(message: string, options?: { taskId?: string; cause?: unknown }) {
    super('OMC_STORAGE', message, options);
  }
}

/**
 * What is wrong with a damaged database:
 * - `corrupt`: the engine found a malformed page or record (e.g. SQLite's `SQLITE_CORRUPT`), or `checkIntegrity`
 *   found a fault;
 * - `truncated`: the file is shorter than its header says;
 * - `wal_lost`: the write-ahead log (e.g. SQLite's `-wal` file) was deleted or replaced while the pool was
 *   open, so committed writes that lived only there may be gone.
 */
export type DatabaseCorruptProblem = 'corrupt' | 'truncated' | 'wal_lost';

/**
 * The database file is damaged. Nothing more was written to it. The message says what was found and
 * what to do (restore a backup, or recover the file with the engine's tool, e.g. `sqlite3 <file> .recover`).
 *
 * ### Examples
 * ```ts
 * try { new TaskPool('./tasks.db'); }
 * catch (e) { if (DatabaseCorruptError.isInstance(e)) console.error(e.problem, e.path, e.message); else throw e; }
 * ```
 */
export class DatabaseCorruptError extends OmcError {
  readonly path: string;
  readonly problem: DatabaseCorruptProblem;
  /** What the check reported, line by line (empty when the engine gave no detail). */
  readonly findings: readonly string[];
  constructor(
    path: string,
    problem: DatabaseCorruptProblem,
    message: string,
    options?: { findings?: readonly string[]; taskId?: string; cause?: unknown },
  ) {
    super('OMC_DATABASE_CORRUPT', message, options);
    this.path = path;
    this.problem = problem;
    this.findings = options?.findings ?? [];
  }
  static override isInstance(error: unknown): error is DatabaseCorruptError {
    return OmcError.isInstance(error) && error.code === 'OMC_DATABASE_CORRUPT';
  }
}

/**
 * Why a database cannot be written:
 * - `file`: the database file (or a file beside it, e.g. SQLite's `-wal`/`-shm`) is not writable;
 * - `directory`: its folder is not writable, so the engine cannot create the files it needs beside it
 *   (e.g. SQLite's `-wal`/`-shm`);
 * - `opened_read_only`: the pool was opened with `readOnly: true`.
 */
export type ReadOnlyProblem = 'file' | 'directory' | 'opened_read_only';

/**
 * The database cannot be written; nothing was changed. Open it with `readOnly: true` to read it, or
 * fix the permissions the message names.
 *
 * ### Examples
 * ```ts
 * try { new TaskPool('/srv/tasks.db'); }
 * catch (e) { if (ReadOnlyDatabaseError.isInstance(e)) console.error(e.problem, e.message); else throw e; }
 * ```
 */
export class ReadOnlyDatabaseError extends OmcError {
  readonly path: string;
  readonly problem: ReadOnlyProblem;
  constructor(path: string, problem: ReadOnlyProblem, message: string, options?: { taskId?: string; cause?: unknown }) {
    super('OMC_READ_ONLY', message, options);
    this.path = path;
    this.problem = problem;
  }
  static override isInstance(error: unknown): error is ReadOnlyDatabaseError {
    return OmcError.isInstance(error) && error.code === 'OMC_READ_ONLY';
  }
}

/**
 * The disk holding the database is full (or the database reached its size limit). The write was
 * rolled back whole; everything acknowledged before is still there. Free space and retry.
 *
 * ### Examples
 * ```ts
 * try { pool.createTask(input); }
 * catch (e) { if (DiskFullError.isInstance(e)) await freeSpaceAndRetry(); else throw e; }
 * ```
 */
export class DiskFullError extends OmcError {
  readonly path: string;
  constructor(path: string, message: string, options?: { taskId?: string; cause?: unknown }) {
    super('OMC_DISK_FULL', message, options);
    this.path = path;
  }
  static override isInstance(error: unknown): error is DiskFullError {
    return OmcError.isInstance(error) && error.code === 'OMC_DISK_FULL';
  }
}

/**
 * Another connection held the database lock longer than `busyTimeoutMs`; the call did nothing and may
 * be retried.
 *
 * ### Examples
 * ```ts
 * try { pool.claimTask('agent-1'); }
 * catch (e) { if (DatabaseBusyError.isInstance(e)) setTimeout(retry, 100); else throw e; }
 * ```
 */
export class DatabaseBusyError extends OmcError {
  readonly path: string;
  constructor(path: string, message: string, options?: { taskId?: string; cause?: unknown }) {
    super('OMC_DATABASE_BUSY', message, options);
    this.path = path;
  }
  static override isInstance(error: unknown): error is DatabaseBusyError {
    return OmcError.isInstance(error) && error.code === 'OMC_DATABASE_BUSY';
  }
}

/**
 * Why a native driver cannot run:
 * - `not_installed`: the package is not installed where the store looks for it;
 * - `node_unsupported`: its `engines.node` excludes this Node.js (loading it could crash the process);
 * - `binding_missing`: its compiled addon is missing (its build script never ran);
 * - `binding_mismatch`: its compiled addon cannot load in this Node.js (built for another version).
 */
export type NativeDriverProblem = 'not_installed' | 'node_unsupported' | 'binding_missing' | 'binding_mismatch';

/**
 * A native database driver cannot run on this machine; nothing was opened. The message names the
 * driver's version, this Node.js's version and the command that fixes it.
 *
 * ### Examples
 * ```ts
 * try { new TaskPool('./tasks.db'); }
 * catch (e) { if (NativeDriverError.isInstance(e)) console.error(e.problem, e.message); else throw e; }
 * ```
 */
export class NativeDriverError extends OmcError {
  readonly problem: NativeDriverProblem;
  /** The driver package, e.g. `better-sqlite3`. */
  readonly driver: string;
  /** Its installed version (`undefined` when it is not installed). */
  readonly driverVersion: string | undefined;
  /** This process's Node.js version. */
  readonly nodeVersion: string;
  constructor(
    problem: NativeDriverProblem,
    message: string,
    details: { driver: string; driverVersion: string | undefined; nodeVersion: string; cause?: unknown },
  ) {
    super('OMC_NATIVE_DRIVER', message, { cause: details.cause });
    this.problem = problem;
    this.driver = details.driver;
    this.driverVersion = details.driverVersion;
    this.nodeVersion = details.nodeVersion;
  }
  static override isInstance(error: unknown): error is NativeDriverError {
    return OmcError.isInstance(error) && error.code === 'OMC_NATIVE_DRIVER';
  }
}

/**
 * Why a holder's lease no longer holds:
 * - `expired`: the lease ran out without a heartbeat;
 * - `timed_out`: the attempt reached the task's `timeoutMs`;
 * - `cancelled`: someone cancelled the task; stop working on it;
 * - `superseded`: the task was claimed again since (a newer fencing token);
 * - `requeued`: the task went back to PENDING (released, or its expired lease was reclaimed);
 * - `finished`: the task is already COMPLETED or FAILED;
 * - `deleted`: the task no longer exists.
 */
export type LeaseLossReason =
  | 'expired'
  | 'timed_out'
  | 'cancelled'
  | 'superseded'
  | 'requeued'
  | 'finished'
  | 'deleted';

/**
 * A holder wrote with a lease it no longer holds. Nothing was written: the task's result belongs to
 * whoever holds the current lease. Stop the work; `reason` says why (`cancelled`: the task was cancelled).
 *
 * ### Examples
 * ```ts
 * try { pool.completeTask(task, 'done'); }
 * catch (e) { if (LeaseLostError.isInstance(e)) console.warn(e.reason, e.message); else throw e; }
 * ```
 */
export class LeaseLostError extends OmcError {
  readonly reason: LeaseLossReason;
  /** The task's status when the write was refused (`undefined` when it was deleted). */
  readonly status: TaskStatus | undefined;
  constructor(taskId: string, reason: LeaseLossReason, status: TaskStatus | undefined, message: string) {
    super('OMC_LEASE_LOST', message, { taskId });
    this.reason = reason;
    this.status = status;
  }
  static override isInstance(error: unknown): error is LeaseLostError {
    return OmcError.isInstance(error) && error.code === 'OMC_LEASE_LOST';
  }
}

/** The `after` cursor of a `getTasks` filter names no task. */
export function unknownCursor(after: string): InvalidInputError {
  return new InvalidInputError(
    'filter.after',
    `filter.after names task ${after}, which does not exist (deleted since the last page?). Restart paging from the first page.`,
    { taskId: after },
  );
}

/** A caller-chosen task id is already in use. */
export function taskIdTaken(id: string): InvalidInputError {
  return new InvalidInputError('id', `A task with id ${id} already exists; choose a new id.`, { taskId: id });
}

/** A task lists itself in `dependsOn`. */
export function selfDependency(id: string): InvalidInputError {
  return new InvalidInputError('dependsOn', `Task ${id} cannot depend on itself.`, { taskId: id });
}

/** A task's `dependsOn` names a task that does not exist. */
export function unknownDependency(dependency: string, taskId: string | undefined): InvalidInputError {
  return new InvalidInputError(
    'dependsOn',
    `dependsOn names task ${dependency}, which does not exist; create it first (or earlier in the same batch).`,
    { taskId },
  );
}
