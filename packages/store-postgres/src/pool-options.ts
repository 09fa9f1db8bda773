import {
  type Clock,
  InvalidInputError,
  type LeaseOptions,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  validateOptionalInteger,
} from '@omc/core';
import type { Pool } from 'pg';

/**
 * Options of {@link PostgresTaskPool}. Every field has a default; the lease options (`leaseMs`,
 * `maxAttempts`, `backoff`, `random`) are core's `LeaseOptions`.
 */
export interface PostgresTaskPoolOptions extends LeaseOptions {
  /** Where "now" comes from; inject a fake clock in tests. Default: the wall clock. */
  clock?: Clock;
  /** Largest metadata, in UTF-8 bytes of JSON. Default 256 KiB. */
  maxMetadataBytes?: number;
  /**
   * The PostgreSQL schema the pool's tables live in, created when missing. Several pools share one
   * database with different schemas. A plain identifier: a letter or `_`, then letters, digits or `_`,
   * at most 63 characters. Default `omc`.
   */
  schema?: string;
  /** Most connections the pool opens (Pool `max`). Default 10. */
  poolSize?: number;
  /** How long opening a connection may take before the call fails. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** `statement_timeout` of every connection: a statement running longer is cancelled. Default 30 000 ms. */
  statementTimeoutMs?: number;
  /**
   * While `onChange` has listeners, how often the pool looks for writes by other processes. Default
   * 250 ms. Writes through this pool are signalled at once, whatever this is.
   */
  changePollMs?: number;
  /**
   * Where the pool `LISTEN`s for other processes' writes while `onChange` has listeners: a direct
   * connection string (when `url` goes through a transaction-mode pooler such as PgBouncer, which cannot
   * LISTEN), or `false` to find them by polling every `changePollMs` only. Default: `url` itself (with
   * `pool`, that pool's connection settings). While notifications are unavailable the pool polls, and
   * says so once with a `NotifyWarning` (`process.emitWarning`).
   */
  listenUrl?: string | false;
  /**
   * An existing `pg.Pool` to use instead of a URL (pass `undefined` as the URL). The pool is the
   * caller's: `close()` leaves it open, and `poolSize`, `connectTimeoutMs` and `statementTimeoutMs` do
   * not apply to it.
   */
  pool?: Pool;
}

/** The options checked and completed with their defaults. @internal */
export interface ResolvedPostgresOptions extends ResolvedStoreOptions {
  schema: string;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  changePollMs: number;
  listenUrl: string | false | undefined;
  pool: Pool | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** Longest timer: what `setTimeout` can wait. */
const MAX_MS = 2 ** 31 - 1;

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A refused connection string as an error may show it: its password (`//user:password@`) masked, since
 * error messages end up in logs.
 */
function shownUrl(value: unknown): string {
  return typeof value === 'string' ? shown(value.replace(/(\/\/[^/@:]*:)[^@]*@/, '$1***@')) : shown(value);
}

/** Check a connection string: a `postgres://` or `postgresql://` URL. @internal */
export function validatePostgresUrl(field: string, value: unknown): string {
  if (typeof value !== 'string' || !POSTGRES_URL.test(value)) {
    throw new InvalidInputError(
      field,
      `${field} must be a PostgreSQL connection URL (postgres://user@host:5432/database), got ${shownUrl(value)}.`,
    );
  }
  try {
    new URL(value);
  } catch {
    // Not chained as the cause: Node's URL error carries the whole input, password included.
    throw new InvalidInputError(field, `${field} is not a valid URL: ${shownUrl(value)}.`);
  }
  return value;
}

/**
 * Check every option before anything connects, so a bad option is an `InvalidInputError` naming it,
 * never a driver error or a value pasted into SQL.
 *
 * ### Examples
 * ```ts
 * resolvePostgresOptions({ schema: 'omc_tests' }).poolSize; // 10
 * resolvePostgresOptions({ schema: 'drop table' }); // throws InvalidInputError (field 'schema')
 * ```
 * @internal
 */
export function resolvePostgresOptions(options: unknown): ResolvedPostgresOptions {
  const common = resolveStoreOptions(options);
  const raw = (options ?? {}) as Record<string, unknown>;
  const { schema = 'omc' } = raw;
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw new InvalidInputError(
      'schema',
      `schema must be a plain SQL identifier (a letter or _, then letters, digits or _, at most 63), got ${shown(schema)}.`,
    );
  }
  const poolSize =
    validateOptionalInteger('poolSize', raw.poolSize, { min: 1, max: 10_000, what: 'connections' }) ?? 10;
  const connectTimeoutMs =
    validateOptionalInteger('connectTimeoutMs', raw.connectTimeoutMs, {
      min: 1,
      max: MAX_MS,
      what: 'ms to open a connection',
    }) ?? 10_000;
  const statementTimeoutMs =
    validateOptionalInteger('statementTimeoutMs', raw.statementTimeoutMs, {
      min: 1,
      max: MAX_MS,
      what: 'ms a statement may run',
    }) ?? 30_000;
  const changePollMs =
    validateOptionalInteger('changePollMs', raw.changePollMs, {
      min: 1,
      max: MAX_MS,
      what: "ms between checks for other processes' writes",
    }) ?? 250;
  const listenUrl =
    raw.listenUrl === undefined || raw.listenUrl === false
      ? raw.listenUrl
      : validatePostgresUrl('listenUrl', raw.listenUrl);
  const pool = raw.pool;
  if (
    pool !== undefined &&
    (typeof pool !== 'object' ||
      pool === null ||
      typeof (pool as { connect?: unknown }).connect !== 'function' ||
      typeof (pool as { query?: unknown }).query !== 'function')
  ) {
    throw new InvalidInputError('pool', `pool must be a Pool, got ${shown(pool)}.`);
  }
  return {
    ...common,
    schema,
    poolSize,
    connectTimeoutMs,
    statementTimeoutMs,
    changePollMs,
    listenUrl,
    pool: pool as Pool | undefined,
  };
}
