import { InvalidInputError, type TaskStore } from '@omc/core';
import { TaskPool, type TaskPoolOptions } from '@omc/store-sqlite';
import { Swarm, type SwarmOptions } from '@omc/swarm';
import { type AutopilotOptions, type AutopilotResult, runAutopilot } from './autopilot.js';
import { type EcoOptions, runEco } from './eco.js';
import type { ModeContext, ModeTaskResult, RoleAgentFactory } from './mode-run.js';
import { type OpenTaskStoreOptions, openStoreAt } from './open-task-store.js';
import { defaultRoleAgents } from './role-agents.js';
import { readStoreUrl, redactStoreUrl } from './store-url.js';
import { runUltra, type UltraItem, type UltraOptions } from './ultra.js';

/** What every {@link OhMyCopilot} takes, whatever its store. */
export interface OhMyCopilotCommonOptions {
  /** Options of the swarm `getSwarm()` returns and of the swarms the modes run. */
  swarm?: SwarmOptions;
  /**
   * How the modes make their role agents; default: `@omc/agents`' role agents on the model `resolveModel()`
   * picks (the offline scripted model unless `OPENAI_API_KEY` or `OMC_BASE_URL` is set).
   */
  roleAgents?: Partial<RoleAgentFactory>;
}

/** {@link OhMyCopilot} over a SQLite task pool it opens (and closes) itself. */
export interface OhMyCopilotDbPathOptions extends OhMyCopilotCommonOptions {
  /**
   * The SQLite file of the task pool. Default `:memory:` (nothing persists), as for `new TaskPool()`. A
   * `sqlite:` or `file:` URL works too (`sqlite:./tasks.db`); a `postgres://` one needs
   * `await OhMyCopilot.open({ db })`, since PostgreSQL connects asynchronously.
   */
  dbPath?: string;
  /** Options of the pool (lease length, attempts, clock…). */
  pool?: TaskPoolOptions;
  store?: undefined;
  db?: undefined;
}

/** {@link OhMyCopilot} over a store you made and own: any `TaskStore`, synchronous or asynchronous. */
export interface OhMyCopilotStoreOptions<S extends TaskStore> extends OhMyCopilotCommonOptions {
  /** The store every mode and the swarm work through. `close()` leaves it open: close it yourself. */
  store: S;
  dbPath?: undefined;
  pool?: undefined;
  db?: undefined;
}

/**
 * Options of {@link OhMyCopilot}: `{ dbPath }` (a SQLite pool it opens) or `{ store }` (a store you own),
 * not both.
 */
export type OhMyCopilotOptions<S extends TaskStore = TaskPool> = OhMyCopilotDbPathOptions | OhMyCopilotStoreOptions<S>;

/** {@link OhMyCopilot.open} over the store a URL names, which it opens (and closes) itself. */
export interface OhMyCopilotDbOptions extends OhMyCopilotCommonOptions {
  /**
   * Where the tasks live: a SQLite path or URL (`./tasks.db`, `sqlite:./tasks.db`, `:memory:`) or a
   * PostgreSQL one (`postgres://user@host:5432/db`, `?schema=name` for the schema); see `parseStoreUrl`.
   * Default `:memory:`.
   */
  db?: string;
  /** Options of the store it opens: shared ones at the top, `sqlite` / `postgres` for each engine's own. */
  pool?: OpenTaskStoreOptions;
  store?: undefined;
  dbPath?: undefined;
}

/** The contract's methods, each checked to be a function before a caller's store is used. */
const STORE_METHODS = [
  'createTask',
  'createTasks',
  'claimTask',
  'claimTasks',
  'getTask',
  'updateTask',
  'getTasks',
  'getStats',
  'deleteTask',
  'clearAll',
  'startTask',
  'startTasks',
  'heartbeat',
  'completeTask',
  'completeTasks',
  'failTask',
  'releaseTask',
  'cancelTask',
  'retryTask',
  'reclaimExpired',
  'getTaskHistory',
  'onChange',
  'close',
] as const satisfies ReadonlyArray<keyof TaskStore>;

/** The caller's `store`, checked; `undefined` when OhMyCopilot is to open a SQLite pool. */
function checkedStore(options: OhMyCopilotOptions<TaskStore>): TaskStore | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options', 'new OhMyCopilot(options) needs an object, e.g. { dbPath } or { store }.');
  }
  const { store } = options;
  if (store === undefined) return undefined;
  for (const field of ['dbPath', 'pool'] as const) {
    if (options[field] !== undefined) {
      throw new InvalidInputError(
        field,
        `new OhMyCopilot got both store and ${field}: ${field} configures the SQLite pool OhMyCopilot opens when no store is given. Pass { store } alone (configure your store when you create it) or { dbPath, pool } alone.`,
      );
    }
  }
  const missing =
    typeof store !== 'object' || store === null
      ? undefined
      : STORE_METHODS.find((name) => typeof store[name] !== 'function');
  if (typeof store !== 'object' || store === null || missing !== undefined) {
    throw new InvalidInputError(
      'store',
      `new OhMyCopilot({ store }) needs a TaskStore (e.g. a TaskPool from @omc/store-sqlite), but ${
        missing === undefined ? `got ${store === null ? 'null' : typeof store}` : `the store has no ${missing}() method`
      }.`,
    );
  }
  return store;
}

/**
 * The SQLite file `dbPath` names. A `sqlite:`/`file:` URL is read as one; a `postgres://` one, or `db`,
 * is refused towards `OhMyCopilot.open`. Any other text is a path, as it always was.
 */
function sqlitePath(options: OhMyCopilotDbPathOptions): string {
  const { db } = options as { db?: unknown };
  if (db !== undefined) {
    throw new InvalidInputError(
      'db',
      `new OhMyCopilot does not take db: a store URL opens asynchronously. Use const omc = await OhMyCopilot.open({ db: ${JSON.stringify(typeof db === 'string' ? redactStoreUrl(db) : db)} }), or pass dbPath for a SQLite file.`,
    );
  }
  const { dbPath = ':memory:' } = options;
  if (typeof dbPath !== 'string' || !/^(sqlite|file|postgres|postgresql):/i.test(dbPath)) return dbPath;
  const where = readStoreUrl('dbPath', dbPath);
  if (where.kind === 'sqlite') return where.path;
  throw new InvalidInputError(
    'dbPath',
    `dbPath '${redactStoreUrl(dbPath)}' is a PostgreSQL URL, which new OhMyCopilot cannot open (it connects asynchronously): use const omc = await OhMyCopilot.open({ db: '${redactStoreUrl(dbPath)}' }).`,
  );
}

/**
 * The guide's facade: one persistent task pool, one swarm over it, and the execution modes.
 *
 * - swarm: `getSwarm()`, register agents, create tasks in `getTaskPool()`, `start()`;
 * - autopilot: `autopilot(goal)` runs architect → executor → QA tester → security reviewer as a chain of
 *   dependent tasks in the pool, so a crashed run resumes where it stopped when started again;
 * - ultrawork: `ultra(items)` runs tasks in parallel, each by its own agent, through the pool;
 * - ecomode: `eco(goal)` runs one task with one agent on the cheapest model, one at a time.
 *
 * The store is a SQLite `TaskPool` it opens from `dbPath` (the default), or any `TaskStore` you pass as
 * `store`, synchronous or asynchronous: every mode awaits the store. `S` is the store's type, inferred
 * from `store` (and `TaskPool` with `dbPath`), so `getTaskPool()` returns what you gave it: with
 * `dbPath`, a `TaskPool` whose methods return plain values, as in the guide; `getStore()` returns the
 * same object as the `TaskStore` contract, for code that works over any store and awaits every call.
 *
 * ### Examples
 * ```ts
 * const omc = new OhMyCopilot({ dbPath: './swarm-tasks.db' });
 * const swarm = omc.getSwarm();
 * swarm.registerAgent(new ExecutorAgent());
 * omc.getTaskPool().createTask({ title: 'Task 1', description: 'Work to do', priority: TaskPriority.HIGH });
 * await swarm.start({ stopWhenEmpty: true });
 * omc.close();
 * ```
 *
 * Over a store of your own (here core's in-memory one, from `@omc/core/testing`), which stays yours to close:
 * ```ts
 * const store = new MemoryTaskStore();
 * const omc = new OhMyCopilot({ store }); // OhMyCopilot<MemoryTaskStore>
 * const { content } = await omc.eco('Simple task');
 * omc.close(); // closes nothing it did not open
 * store.close();
 * ```
 */
export class OhMyCopilot<S extends TaskStore = TaskPool> {
  readonly #store: S;
  /** Whether the store is one this object opened (from `dbPath`, or `db` in `open`), so `close()` closes it. */
  #ownsStore: boolean;
  readonly #swarmOptions: SwarmOptions | undefined;
  readonly #roleAgents: RoleAgentFactory;
  #swarm: Swarm | undefined;

  /**
   * `{ dbPath, pool }` opens a SQLite pool (default `:memory:`); `{ store }` uses yours. Both, or a
   * `store` that is not a TaskStore, throw `InvalidInputError`.
   */
  constructor(options: OhMyCopilotOptions<S> = {}) {
    const store = checkedStore(options);
    // Without `store`, S is inferred as its default, TaskPool: the dbPath options mention no S. (A caller
    // who names another S explicitly beside dbPath is not stopped by the types; nothing infers one.)
    this.#store = (store ?? new TaskPool(sqlitePath(options as OhMyCopilotDbPathOptions), options.pool)) as S;
    this.#ownsStore = store === undefined;
    this.#swarmOptions = options.swarm;
    this.#roleAgents = { ...defaultRoleAgents, ...options.roleAgents };
  }

  /**
   * Open the store `db` names (a SQLite path or URL, or `postgres://…`; default `:memory:`) and make an
   * OhMyCopilot over it, which `close()` closes. `{ dbPath }` and `{ store }` work here as in the
   * constructor. The store is typed as the contract: `await` every call on `getTaskPool()`.
   *
   * ### Examples
   * ```ts
   * const omc = await OhMyCopilot.open({ db: process.env.OMC_DB ?? './tasks.db', pool: { leaseMs: 30_000 } });
   * await omc.getTaskPool().createTask({ title: 'Task 1', description: 'Work to do' });
   * const run = await omc.eco('Simple task');
   * await omc.close();
   * ```
   */
  static async open<S extends TaskStore = TaskPool>(
    options: OhMyCopilotDbOptions | OhMyCopilotOptions<S> = {},
  ): Promise<OhMyCopilot<TaskStore>> {
    if (typeof options !== 'object' || options === null || !('db' in options) || options.db === undefined) {
      return new OhMyCopilot(options as OhMyCopilotOptions<S>);
    }
    for (const field of ['store', 'dbPath'] as const) {
      if ((options as Record<string, unknown>)[field] !== undefined) {
        throw new InvalidInputError(
          field,
          `OhMyCopilot.open got both db and ${field}: db names the store to open. Pass { db } alone, or { ${field} } alone.`,
        );
      }
    }
    const { db, pool, ...common } = options;
    const store = await openStoreAt('db', db, pool);
    try {
      const omc = new OhMyCopilot<TaskStore>({ ...common, store });
      omc.#ownsStore = true;
      return omc;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * The task pool every mode works through, typed as its store: the `TaskPool` opened from `dbPath`
   * (the guide's synchronous `TaskPool` API), or the `store` you passed, as you passed it.
   *
   * ### Examples
   * ```ts
   * const task = new OhMyCopilot().getTaskPool().createTask({ title: 'Task 1', description: 'Work to do' });
   * ```
   */
  getTaskPool(): S {
    return this.#store;
  }

  /**
   * The store every mode works through, as the `TaskStore` contract: always there, whichever store it
   * is; `await` every call, since a store may answer with a promise.
   *
   * ### Examples
   * ```ts
   * const stats = await omc.getStore().getStats();
   * ```
   */
  getStore(): TaskStore {
    return this.#store;
  }

  /** The swarm over the pool: the same object on every call. */
  getSwarm(): Swarm {
    this.#swarm ??= new Swarm(this.#store, this.#swarmOptions);
    return this.#swarm;
  }

  /**
   * Autopilot: architect → executor → QA tester → security reviewer on `goal`, as four dependent tasks
   * in the pool. Calling it again with the same goal (after a crash, say) resumes the same run: finished
   * stages are not redone. Resolves when the last stage is finished, failed or cancelled.
   *
   * ### Examples
   * ```ts
   * const run = await omc.autopilot('Build authentication system');
   * for (const stage of run.stages) console.log(stage.role, stage.status, stage.content);
   * ```
   */
  autopilot(goal: string, options?: AutopilotOptions): Promise<AutopilotResult> {
    return runAutopilot(this.#modeContext(), goal, options);
  }

  /**
   * Ultrawork: every item becomes a task in the pool, run in parallel, each by its own agent (default: an
   * executor). Resolves with one result per item, in order, when all are finished.
   *
   * ### Examples
   * ```ts
   * const results = await omc.ultra([
   *   { title: 'Task 1', agent: new ExecutorAgent() },
   *   { title: 'Task 2', agent: new ExecutorAgent() },
   * ]);
   * ```
   */
  ultra(items: readonly UltraItem[], options?: UltraOptions): Promise<ModeTaskResult[]> {
    return runUltra(this.#modeContext(), items, options);
  }

  /**
   * Ecomode: one task, one executor on the cheapest model, concurrency 1.
   *
   * ### Examples
   * ```ts
   * const { content } = await omc.eco('Simple task');
   * ```
   */
  eco(goal: string, options?: EcoOptions): Promise<ModeTaskResult> {
    return runEco(this.#modeContext(), goal, options);
  }

  /**
   * Close the store opened from `dbPath` or `db` (stop the swarm first); the promise of an asynchronous
   * store's close (PostgreSQL) is returned: `await` it. Closing twice is a no-op. A `store` you passed is
   * left open: you made it, you close it (it may be shared, or outlive this object).
   */
  close(): void | Promise<void> {
    if (this.#ownsStore) return this.#store.close();
  }

  #modeContext(): ModeContext {
    return {
      store: this.#store,
      newSwarm: () => new Swarm(this.#store, this.#swarmOptions),
      roleAgents: this.#roleAgents,
    };
  }
}
