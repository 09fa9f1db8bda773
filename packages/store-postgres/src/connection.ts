import { ForeignDatabaseError, OmcError, SchemaTooNewError, StorageError } from '@omc/core';
import pg from 'pg';
import { MIGRATIONS, migrationLockKey, SCHEMA_VERSION } from './migrations.js';
import type { ResolvedPostgresOptions } from './pool-options.js';

/** int8 (bigint) as a JavaScript number: every bigint omc stores (times, counts, tokens) is a safe integer. */
const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

/** The pool's own type parsers: int8 as a number, for its connections only (pg's globals stay as they are). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** What a URL shows in messages: host, port, database and schema, never the password. @internal */
export function describeTarget(url: string | undefined, schema: string): string {
  if (url === undefined) return `the given pg.Pool (schema "${schema}")`;
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.host}${parsed.pathname} (schema "${schema}")`;
  } catch {
    return `a PostgreSQL database (schema "${schema}")`;
  }
}

/**
 * The connections of one pool and its schema: a `pg.Pool` (its own, or the caller's), connected and
 * migrated once, lazily, before the first statement (or at once by `PostgresTaskPool.open`).
 * @internal
 */
export class Connection {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly where: string;
  private readonly owned: boolean;
  private opening: Promise<void> | undefined;
  /** True once the schema is known to be current: the hot path's one check. */
  ready = false;
  /** The last error an idle connection reported (a killed backend, a server restart). */
  lastIdleError: Error | undefined;

  constructor(url: string | undefined, options: ResolvedPostgresOptions) {
    this.schema = options.schema;
    this.where = describeTarget(url, options.schema);
    if (options.pool) {
      this.pool = options.pool;
      this.owned = false;
    } else {
      this.pool = new pg.Pool({
        connectionString: url,
        max: options.poolSize,
        connectionTimeoutMillis: options.connectTimeoutMs,
        statement_timeout: options.statementTimeoutMs,
        application_name: 'omc',
        types,
      });
      this.owned = true;
      // An idle connection that dies (server restart, pg_terminate_backend) is dropped by pg; without a
      // listener its error would be thrown as an uncaught 'error' event and end the process.
      this.pool.on('error', (error) => {
        this.lastIdleError = error;
      });
    }
  }

  /** Connect and migrate once; a failed attempt is forgotten, so a later call tries again. */
  open(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (!this.opening) {
      this.opening = this.migrate().then(
        () => {
          this.ready = true;
        },
        (error: unknown) => {
          this.opening = undefined;
          throw error;
        },
      );
    }
    return this.opening;
  }

  private async migrate(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw new StorageError(
        `Cannot connect to ${this.where}: ${(cause as Error).message}. Check the URL, that PostgreSQL is running and accepts this user.`,
        { cause },
      );
    }
    let broken = false;
    // See PostgresDriver: a checked-out client's 'error' must be heard; its next statement fails.
    const ignore = () => {};
    client.on('error', ignore);
    try {
      await client.query('begin');
      await migrateIn(client, this.schema, this.where);
      await client.query('commit');
    } catch (error) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      if (OmcError.isInstance(error)) throw error;
      throw new StorageError(`Cannot prepare ${this.where}: ${(error as Error).message}`, { cause: error });
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  /** End the pool's connections, unless the pool is the caller's. */
  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }
}

/**
 * Bring `schema` to {@link SCHEMA_VERSION} inside the caller's transaction, under a transaction-scoped
 * advisory lock keyed on the schema name: a second process migrating at the same time waits, then
 * finds the schema current. A schema newer than this code, or one with tables omc did not create, is
 * refused and left untouched.
 * @internal
 */
export async function migrateIn(client: pg.ClientBase, schema: string, where: string): Promise<void> {
  await client.query('select pg_advisory_xact_lock(hashtext($1))', [migrationLockKey(schema)]);
  const q = (name: string) => `"${schema}"."${name}"`;
  const state = await client.query<{ tables: string; versioned: boolean }>(
    `select (select count(*) from pg_tables where schemaname = $1) as tables,
            to_regclass($2) is not null as versioned`,
    [schema, q('omc_schema_version')],
  );
  const { tables, versioned } = state.rows[0] as { tables: string | number; versioned: boolean };
  if (!versioned && Number(tables) > 0) {
    throw new ForeignDatabaseError(
      where,
      `schema "${schema}" holds tables but no omc_schema_version`,
      'a PostgreSQL schema',
    );
  }
  if (!versioned) {
    await client.query(`create schema if not exists "${schema}"`);
    await client.query(
      `create table ${q('omc_schema_version')} (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
  }
  const found = await client.query<{ version: number | null }>(
    `select max(version) as version from ${q('omc_schema_version')}`,
  );
  const current = found.rows[0]?.version ?? 0;
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(where, current, SCHEMA_VERSION);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    // One round trip per migration: its statements as one simple-protocol query, in the transaction.
    await client.query(migration.statements(schema).join(';\n'));
    await client.query(`insert into ${q('omc_schema_version')} (version, name) values ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
  }
}
