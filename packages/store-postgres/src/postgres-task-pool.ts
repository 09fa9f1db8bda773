import { InvalidInputError } from '@omc/core';
import { DriverTaskStore } from '@omc/core/driver';
import type { ClientConfig, Pool } from 'pg';
import { PollingChangeSignal } from './change-signal.js';
import { Connection } from './connection.js';
import { changeChannel, type ListenConnection } from './notify-listener.js';
import { type PostgresTaskPoolOptions, resolvePostgresOptions, validatePostgresUrl } from './pool-options.js';
import { PostgresDriver } from './postgres-driver.js';

/**
 * The omc task pool on PostgreSQL: the whole `TaskStore` contract (leases, fencing tokens, retries,
 * delays, timeouts, cancellation, dependencies, capability routing, history, idempotency keys, batch
 * claims, grouped writes), every method returning a promise. Claims are one statement with
 * `FOR UPDATE SKIP LOCKED`, so workers on many hosts share one database without ever taking a task
 * twice. The constructor checks its options and returns at once; the pool connects, and creates or
 * upgrades its schema, on the first call. {@link PostgresTaskPool.open} does that before it resolves.
 *
 * ### Examples
 * ```ts
 * import { PostgresTaskPool, TaskPriority } from '@omc/store-postgres';
 *
 * const pool = await PostgresTaskPool.open('postgres://postgres@127.0.0.1:5432/app');
 * await pool.createTask({ title: 'Fix bug', description: 'Patch the login', priority: TaskPriority.HIGH });
 * const task = await pool.claimTask('agent-1');
 * if (task) await pool.completeTask(task, 'done');
 * console.log(await pool.getStats());
 * await pool.close();
 * ```
 */
export class PostgresTaskPool extends DriverTaskStore<'async'> {
  /** The `pg.Pool` the store runs on; private, reachable as `pool['db']` for raw SQL in tests. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read from outside as pool['db'], like SQLite's
  private readonly db: Pool;
  readonly #driver: PostgresDriver;

  /**
   * @param url A `postgres://` connection URL; `undefined` with `options.pool`.
   * @throws InvalidInputError for a bad URL or option (nothing connects).
   */
  constructor(url: string | undefined, options?: PostgresTaskPoolOptions) {
    // Options first, so a bad option never opens a connection.
    const resolved = resolvePostgresOptions(options);
    if (resolved.pool === undefined) validatePostgresUrl('url', url);
    else if (url !== undefined) {
      throw new InvalidInputError('url', 'Pass either a connection URL or options.pool, not both.');
    }
    const connection = new Connection(url, resolved);
    const changes = new PollingChangeSignal(
      {
        read: async () => {
          if (!connection.ready) return undefined;
          const { rows } = await connection.pool.query<{ mark: string }>(changeMarkSql(connection.schema));
          return rows[0]?.mark;
        },
      },
      resolved.changePollMs,
      {
        connection: listenConnection(url, resolved.listenUrl, resolved.pool),
        channel: changeChannel(connection.schema),
        connectTimeoutMs: resolved.connectTimeoutMs,
      },
    );
    const driver = new PostgresDriver(connection, changes);
    super(driver, resolved);
    this.#driver = driver;
    this.db = connection.pool;
  }

  /**
   * Connect, create or upgrade the schema, and resolve with the pool; rejects with a typed error when
   * it cannot (`OMC_STORAGE` for an unreachable server or a refused login, `OMC_SCHEMA_TOO_NEW` for a
   * schema from a newer omc, `OMC_FOREIGN_DATABASE` for a schema holding other tables), so a bad URL
   * shows at once rather than at the first claim.
   *
   * ### Examples
   * ```ts
   * const pool = await PostgresTaskPool.open(process.env.DATABASE_URL!, { schema: 'omc', poolSize: 20 });
   * ```
   */
  static async open(url: string | undefined, options?: PostgresTaskPoolOptions): Promise<PostgresTaskPool> {
    const pool = new PostgresTaskPool(url, options);
    try {
      await pool.#driver.open();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** The schema this pool's tables live in. */
  get schema(): string {
    return this.#driver.connection.schema;
  }
}

/** Where the pool LISTENs: `listenUrl`, else the pool's own URL, else the given pg.Pool's settings. */
function listenConnection(
  url: string | undefined,
  listenUrl: string | false | undefined,
  pool: Pool | undefined,
): ListenConnection {
  if (listenUrl !== undefined) return listenUrl;
  if (url !== undefined) return url;
  // Pool keeps its constructor's config (connectionString or host, user…) as `options`.
  const options = (pool as { options?: ClientConfig } | undefined)?.options;
  return options === undefined ? false : { ...options };
}

/**
 * What moves when anyone writes: the task and history sequences (every create and every status change
 * take a value) and the total count (deletes). Three one-page reads.
 */
function changeMarkSql(schema: string): string {
  const q = (name: string) => `"${schema}"."${name}"`;
  return `select (select last_value from ${q('tasks_seq_seq')})::text || ':' || (select last_value from ${q('task_history_seq_seq')})::text || ':' || (select coalesce(sum(count), 0) from ${q('task_counts')} where name = 'total')::text as mark`;
}
