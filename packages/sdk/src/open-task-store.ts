import { InvalidInputError, NativeDriverError, type StoreOptions, type TaskStore, validateOptions } from '@omc/core';
import { TaskPool, type TaskPoolOptions } from '@omc/store-sqlite';
import { readStoreUrl } from './store-url.js';

/**
 * Options of {@link openTaskStore}: those every store takes (lease length, attempts, backoff, clock,
 * metadata limit) at the top, and each engine's own under its name, used only when the URL is for it.
 */
export interface OpenTaskStoreOptions extends StoreOptions {
  /** For a SQLite URL: the rest of `TaskPool`'s options (`busyTimeoutMs`, `synchronous`, `readOnly`…). */
  sqlite?: Omit<TaskPoolOptions, keyof StoreOptions>;
  /**
   * For a PostgreSQL URL: the rest of `PostgresTaskPool.open`'s options from `@omc/store-postgres`
   * (`schema`, a separate connection string for LISTEN, pool size…). A `?schema=` on the URL wins over
   * `schema` here.
   */
  postgres?: PostgresOnlyOptions;
}

/** The PostgreSQL store's own options, passed through as they are (`@omc/store-postgres` checks them). */
export interface PostgresOnlyOptions {
  /** The schema the pool's tables live in, so several pools can share one database. */
  schema?: string;
  [option: string]: unknown;
}

/**
 * What the SDK uses of `@omc/store-postgres`, declared here so SQLite users need neither it nor `pg`
 * (it is an optional peer dependency, loaded only for a postgres URL).
 */
interface PostgresStoreModule {
  PostgresTaskPool: { open(url: string, options?: Record<string, unknown>): Promise<TaskStore> };
}

/** The package a postgres URL needs; a variable, so neither TypeScript nor the bundler resolves it here. */
const POSTGRES_PACKAGE: string = '@omc/store-postgres';

/**
 * Open the store a URL names (see {@link parseStoreUrl}): a SQLite `TaskPool` for a path, `:memory:` or a
 * `sqlite:`/`file:` URL; for `postgres://` (or `postgresql://`) a `PostgresTaskPool` from
 * `@omc/store-postgres`, connected and migrated (a `?schema=` query parameter picks its schema and is not
 * passed on to `pg`). Close the store when done (`await store.close()`).
 *
 * A URL that is not a store's is refused with `InvalidInputError`; a postgres URL without
 * `@omc/store-postgres` (or `pg`) installed with `NativeDriverError` (code `OMC_NATIVE_DRIVER`, problem
 * `not_installed`, `driver` the package to install). Neither message shows a password.
 *
 * ### Examples
 * ```ts
 * const store = await openTaskStore(process.env.OMC_DB ?? './tasks.db', { leaseMs: 30_000 });
 * await store.createTask({ title: 'Fix bug', description: 'Patch the login' });
 * await store.close();
 * ```
 */
export async function openTaskStore(url: string, options?: OpenTaskStoreOptions): Promise<TaskStore> {
  return openStoreAt('url', url, options);
}

/**
 * {@link openTaskStore} with the refusal's field named by the caller.
 * @internal
 */
export async function openStoreAt(field: string, url: unknown, options?: OpenTaskStoreOptions): Promise<TaskStore> {
  const where = readStoreUrl(field, url);
  const { sqlite, postgres, ...common } = validateOptions('openTaskStore', options) as OpenTaskStoreOptions;
  for (const [name, value] of [
    ['sqlite', sqlite],
    ['postgres', postgres],
  ] as const) {
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new InvalidInputError(
        name,
        `${name} holds the ${name === 'sqlite' ? 'SQLite' : 'PostgreSQL'} store's own options: an object (or left out), got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}.`,
      );
    }
  }
  if (where.kind === 'sqlite') return new TaskPool(where.path, { ...common, ...sqlite });
  const { PostgresTaskPool } = await loadPostgres();
  const schema = where.schema ?? postgres?.schema;
  return PostgresTaskPool.open(where.url, {
    ...common,
    ...postgres,
    ...(schema === undefined ? {} : { schema }),
  });
}

/**
 * Import `@omc/store-postgres`, or explain which package to install. `load` is for tests.
 * @internal
 */
export async function loadPostgres(
  load: () => Promise<unknown> = () => import(POSTGRES_PACKAGE),
): Promise<PostgresStoreModule> {
  try {
    return (await load()) as PostgresStoreModule;
  } catch (error) {
    const missing = missingPackage(error);
    if (missing === undefined) throw error;
    throw new NativeDriverError(
      'not_installed',
      `A postgres:// store needs the package ${missing}, which is not installed. Install it next to @omc/sdk: pnpm add ${missing} (or npm install ${missing}).`,
      { driver: missing, driverVersion: undefined, nodeVersion: process.versions.node, cause: error },
    );
  }
}

/** The package a failed import could not find (`pg` when the adapter is there but its driver is not). */
function missingPackage(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const named = /Cannot find (?:package|module) '([^']+)'/.exec(String(message))?.[1];
  if (named === undefined) return POSTGRES_PACKAGE;
  // Node names a package by its name, or a file of it by path (…/node_modules/pg/lib/index.js).
  const inModules = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(named)?.[1]?.replace(/\\/g, '/');
  const name = inModules ?? named;
  return name === 'pg' || name.startsWith('pg/') ? 'pg' : name === POSTGRES_PACKAGE ? POSTGRES_PACKAGE : undefined;
}
