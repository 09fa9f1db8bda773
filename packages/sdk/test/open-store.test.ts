// Opening a store by URL: openTaskStore, OhMyCopilot.open({ db }) and a sqlite: URL as dbPath.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemoryTaskStore } from '@omc/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  FunctionAgent,
  InvalidInputError,
  NativeDriverError,
  OhMyCopilot,
  openTaskStore,
  StoreClosedError,
  TaskPool,
  TaskStatus,
  type TaskStore,
} from '../src/index.js';
import { loadPostgres } from '../src/open-task-store.js';

const roleAgents = { executor: () => new FunctionAgent({ name: 'eco', run: () => 'done' }) };

describe('openTaskStore and OhMyCopilot.open over SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens a SQLite TaskPool for a path or a sqlite: URL, with the shared and the SQLite options', async () => {
    const file = join(dir, 'a.db');
    const store = await openTaskStore(`sqlite://${file}`, { maxAttempts: 7, sqlite: { busyTimeoutMs: 50 } });
    expect(store).toBeInstanceOf(TaskPool);
    const task = await store.createTask({ title: 'T', description: 'd' });
    expect(task.maxAttempts).toBe(7);
    await store.close();
    const again = await openTaskStore(file);
    expect((await again.getTask(task.id))?.title).toBe('T');
    await again.close();
    const memory = await openTaskStore(':memory:');
    expect((await memory.getStats()).total).toBe(0);
    await memory.close();
  });

  it('refuses what is not a store URL before opening anything', async () => {
    await expect(openTaskStore('mysql://root:hunter2@db/omc')).rejects.toThrow(
      expect.objectContaining({ code: 'OMC_INVALID_INPUT', field: 'url' }),
    );
    await expect(openTaskStore('mysql://root:hunter2@db/omc')).rejects.not.toThrow('hunter2');
    // @ts-expect-error options are an object
    await expect(openTaskStore(join(dir, 'c.db'), 'fast')).rejects.toThrow(
      "openTaskStore's options must be an object (or left out), got",
    );
    // @ts-expect-error each engine's options are an object
    await expect(openTaskStore(join(dir, 'c.db'), { sqlite: 'wal' })).rejects.toThrow(
      "sqlite holds the SQLite store's own options: an object (or left out), got string.",
    );
    expect(existsSync(join(dir, 'c.db'))).toBe(false);
    // Bad options are the pool's to refuse, typed, and no file is made.
    await expect(openTaskStore(join(dir, 'b.db'), { sqlite: { busyTimeoutMs: -1 } })).rejects.toThrow(
      InvalidInputError,
    );
    expect(existsSync(join(dir, 'b.db'))).toBe(false);
  });

  it('OhMyCopilot.open({ db }) runs the modes on the store it opened, and close() closes it', async () => {
    const file = join(dir, 'omc.db');
    const omc = await OhMyCopilot.open({ db: `sqlite:${file}`, pool: { maxAttempts: 4 }, roleAgents });
    expectTypeOf(omc).toEqualTypeOf<OhMyCopilot<TaskStore>>();
    const store = omc.getStore();
    expect(omc.getTaskPool()).toBe(store);
    const run = await omc.eco('Simple task');
    expect(run).toMatchObject({ status: TaskStatus.COMPLETED, content: 'done' });
    expect((await store.getTask(run.taskId))?.maxAttempts).toBe(4);
    await omc.close();
    await expect(async () => store.getStats()).rejects.toThrow(StoreClosedError);
    await omc.close(); // twice: a no-op

    const reopened = new TaskPool(file);
    expect(reopened.getTask(run.taskId)?.status).toBe(TaskStatus.COMPLETED);
    reopened.close();
  });

  it('OhMyCopilot.open defaults to :memory:, and takes { dbPath } and { store } as the constructor does', async () => {
    const memory = await OhMyCopilot.open();
    expect(memory.getTaskPool()).toBeInstanceOf(TaskPool);
    await memory.close();

    const file = join(dir, 'path.db');
    const byPath = await OhMyCopilot.open({ dbPath: file });
    expect(byPath.getTaskPool()).toBeInstanceOf(TaskPool);
    await byPath.close();
    expect(existsSync(file)).toBe(true);

    const mine = new MemoryTaskStore();
    const over = await OhMyCopilot.open({ store: mine });
    expect(over.getStore()).toBe(mine);
    await over.close();
    expect(mine.getStats().total).toBe(0); // still open: close() left it alone
    mine.close();
  });

  it('OhMyCopilot.open refuses db beside store or dbPath, and a bad db, naming the field', async () => {
    const mine = new MemoryTaskStore();
    // @ts-expect-error db and store exclude each other
    await expect(OhMyCopilot.open({ db: './x.db', store: mine })).rejects.toThrow(
      'OhMyCopilot.open got both db and store: db names the store to open. Pass { db } alone, or { store } alone.',
    );
    // @ts-expect-error db and dbPath exclude each other
    await expect(OhMyCopilot.open({ db: './x.db', dbPath: './y.db' })).rejects.toThrow(
      expect.objectContaining({ code: 'OMC_INVALID_INPUT', field: 'dbPath' }),
    );
    await expect(OhMyCopilot.open({ db: 'redis://db' })).rejects.toThrow(
      expect.objectContaining({ code: 'OMC_INVALID_INPUT', field: 'db' }),
    );
    mine.close();
    expect(existsSync('./x.db')).toBe(false);
  });

  it('new OhMyCopilot({ dbPath }) takes a sqlite: URL, and refuses a postgres one towards OhMyCopilot.open', () => {
    const file = join(dir, 'url.db');
    const omc = new OhMyCopilot({ dbPath: `sqlite:${file}` });
    omc.getTaskPool().createTask({ title: 'T', description: 'd' });
    omc.close();
    expect(existsSync(file)).toBe(true);

    const postgres = () => new OhMyCopilot({ dbPath: 'postgres://omc:hunter2@db/omc' });
    expect(postgres).toThrow(InvalidInputError);
    expect(postgres).toThrow(
      "dbPath 'postgres://omc:***@db/omc' is a PostgreSQL URL, which new OhMyCopilot cannot open (it connects asynchronously): use const omc = await OhMyCopilot.open({ db: 'postgres://omc:***@db/omc' }).",
    );
    // @ts-expect-error db is OhMyCopilot.open's
    expect(() => new OhMyCopilot({ db: './x.db' })).toThrow(
      'new OhMyCopilot does not take db: a store URL opens asynchronously. Use const omc = await OhMyCopilot.open({ db: "./x.db" }), or pass dbPath for a SQLite file.',
    );
  });

  it('a dbPath that only looks like a URL is still a file path, as before', () => {
    const file = join(dir, 'v2:tasks.db');
    const omc = new OhMyCopilot({ dbPath: file });
    omc.getTaskPool().createTask({ title: 'T', description: 'd' });
    omc.close();
    expect(existsSync(file)).toBe(true);
  });
});

describe('loading @omc/store-postgres', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-no-pg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A package installed in a folder of its own that imports `name`, which is not installed there: Node's
   * own error, as when `@omc/sdk` is installed without it (or `@omc/store-postgres` without `pg`). In a
   * node_modules folder, so Node resolves it, not the test runner (which would find this repository's).
   */
  const importing = (name: string) => {
    const folder = join(dir, 'node_modules', `needs-${name.replace(/\W/g, '-')}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.mjs'), `export * from '${name}';\n`);
    return () => import(pathToFileURL(join(folder, 'index.mjs')).href);
  };

  for (const name of ['@omc/store-postgres', 'pg']) {
    it(`says to install ${name} when it is missing, typed with a stable code`, async () => {
      let error: unknown;
      await loadPostgres(importing(name)).catch((caught: unknown) => {
        error = caught;
      });
      expect(NativeDriverError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'OMC_NATIVE_DRIVER', problem: 'not_installed', driver: name });
      expect((error as Error).message).toBe(
        `A postgres:// store needs the package ${name}, which is not installed. Install it next to @omc/sdk: pnpm add ${name} (or npm install ${name}).`,
      );
    });
  }

  it('passes on any other failure as it is', async () => {
    const boom = new Error('the adapter threw while loading');
    await expect(loadPostgres(() => Promise.reject(boom))).rejects.toBe(boom);
    await expect(loadPostgres(importing('some-other-missing-package'))).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_MODULE_NOT_FOUND' }),
    );
  });
});

// PostgreSQL at OMC_PG_URL (a running server is required: an unreachable one fails the test, never skips
// it), each run in a schema of its own, dropped after.
const PG_URL = process.env.OMC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const require = createRequire(import.meta.url);

describe('openTaskStore and OhMyCopilot.open over PostgreSQL', () => {
  const schema = `omc_sdk_open_${randomBytes(6).toString('hex')}`;
  /** PG_URL with `?schema=` set. */
  const inSchema = (name: string) => {
    const url = new URL(PG_URL);
    url.searchParams.set('schema', name);
    return url.toString();
  };
  afterAll(async () => {
    const { Client } = require('pg') as PgModule;
    const client = new Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });

  it('opens a PostgresTaskPool in the ?schema= of the URL, connected and migrated', async () => {
    const store = await openTaskStore(inSchema(schema), { maxAttempts: 6 });
    const postgresPackage: string = '@omc/store-postgres'; // a variable: the sdk does not depend on its types
    const { PostgresTaskPool } = (await import(postgresPackage)) as { PostgresTaskPool: new () => unknown };
    expect(store).toBeInstanceOf(PostgresTaskPool);
    const task = await store.createTask({ title: 'T', description: 'd' });
    expect(task.maxAttempts).toBe(6);
    await store.close();
    // The same schema by option instead of by URL: the task is there.
    const again = await openTaskStore(PG_URL, { postgres: { schema } });
    expect((await again.getTask(task.id))?.title).toBe('T');
    await again.close();
  });

  it('OhMyCopilot.open({ db: postgres://… }) runs a mode on PostgreSQL, and close() closes the store', async () => {
    const omc = await OhMyCopilot.open({ db: inSchema(schema), roleAgents });
    const store = omc.getStore();
    const run = await omc.eco('Simple task');
    expect(run).toMatchObject({ status: TaskStatus.COMPLETED, content: 'done' });
    expect((await store.getTask(run.taskId))?.status).toBe(TaskStatus.COMPLETED);
    await omc.close();
    await expect(async () => store.getStats()).rejects.toThrow(StoreClosedError);
  });
});

/** What the clean-up uses of `pg`. */
interface PgModule {
  Client: new (config: {
    connectionString: string;
  }) => {
    connect(): Promise<void>;
    query(text: string): Promise<unknown>;
    end(): Promise<void>;
  };
}
