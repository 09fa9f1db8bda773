// OhMyCopilot over a store the caller made: `{ store }` beside `{ dbPath }`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTaskStore } from '@omc/core/testing';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  FunctionAgent,
  InvalidInputError,
  OhMyCopilot,
  StoreClosedError,
  TaskPool,
  TaskStatus,
  type TaskStore,
} from '../src/index.js';
import { createAsyncStore } from './async-store.js';

const roleAgents = { executor: () => new FunctionAgent({ name: 'eco', run: () => 'done' }) };

describe('new OhMyCopilot({ store })', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses store with dbPath or pool, naming the field and what to do', () => {
    const store = new MemoryTaskStore();
    // @ts-expect-error store and dbPath exclude each other
    const both = () => new OhMyCopilot({ store, dbPath: join(dir, 'x.db') });
    expect(both).toThrow(InvalidInputError);
    expect(both).toThrow(
      'new OhMyCopilot got both store and dbPath: dbPath configures the SQLite pool OhMyCopilot opens when no store is given. Pass { store } alone (configure your store when you create it) or { dbPath, pool } alone.',
    );
    // @ts-expect-error pool options configure only the pool OhMyCopilot opens
    expect(() => new OhMyCopilot({ store, pool: { maxAttempts: 1 } })).toThrow(
      expect.objectContaining({ code: 'OMC_INVALID_INPUT', field: 'pool' }),
    );
  });

  it('refuses a store that is not a TaskStore', () => {
    for (const [store, what] of [
      [null, 'got null'],
      ['tasks.db', 'got string'],
      [{ createTask() {} }, 'the store has no createTasks() method'],
    ] as const) {
      // @ts-expect-error not a TaskStore
      const make = () => new OhMyCopilot({ store });
      expect(make).toThrow(InvalidInputError);
      expect(make).toThrow(
        `new OhMyCopilot({ store }) needs a TaskStore (e.g. a TaskPool from @omc/store-sqlite), but ${what}.`,
      );
    }
  });

  it('works through the store it is given, and close() leaves that store open', async () => {
    const store = createAsyncStore();
    const omc = new OhMyCopilot({ store, roleAgents });
    expect(omc.getStore()).toBe(store);
    expect(omc.getTaskPool()).toBe(store);
    const result = await omc.eco('Simple task');
    expect(result).toMatchObject({ status: TaskStatus.COMPLETED, content: 'done' });
    omc.close();
    expect((await store.getTask(result.taskId))?.status).toBe(TaskStatus.COMPLETED);
    await store.close();
  });

  it('a run whose store fails a read stops its swarm and rejects with that error', async () => {
    const store = createAsyncStore();
    let reads = 0;
    const getTask = async (id: string) => {
      reads += 1;
      if (reads === 2) throw new Error('the store went away'); // once: later reads work again
      return store.getTask(id);
    };
    // The store with getTask replaced; its other methods keep the store as `this` (it has private state).
    const failing = new Proxy(store, {
      get(target, property) {
        if (property === 'getTask') return getTask;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as TaskStore;
    const omc = new OhMyCopilot({
      store: failing,
      roleAgents: { executor: () => new FunctionAgent({ name: 'slow', run: () => new Promise(() => {}) }) },
      swarm: { graceMs: 10 },
    });
    await expect(omc.eco('Never finishes', { pollInterval: 10 })).rejects.toThrow('the store went away');
    await store.close();
  });

  it('with dbPath, opens a TaskPool that getTaskPool() returns and close() closes', () => {
    const omc = new OhMyCopilot({ dbPath: join(dir, 'own.db') });
    const pool = omc.getTaskPool();
    expect(pool).toBeInstanceOf(TaskPool);
    expect(omc.getStore()).toBe(pool);
    omc.close();
    expect(() => pool.getStats()).toThrow(StoreClosedError);
  });

  it('types getTaskPool() as its store: TaskPool with dbPath, the store given otherwise', () => {
    expectTypeOf(new OhMyCopilot().getTaskPool()).toEqualTypeOf<TaskPool>();
    expectTypeOf(new OhMyCopilot({ dbPath: ':memory:' }).getTaskPool()).toEqualTypeOf<TaskPool>();
    expectTypeOf(new OhMyCopilot({ store: new MemoryTaskStore() }).getTaskPool()).toEqualTypeOf<MemoryTaskStore>();
    expectTypeOf(new OhMyCopilot().getStore()).toEqualTypeOf<TaskStore>();
  });
});

describe('the README', () => {
  let dir: string;
  let cwd: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-readme-store-'));
    cwd = process.cwd();
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the { store } example', async () => {
    const lines: unknown[][] = [];
    const console = { log: (...args: unknown[]) => lines.push(args) };

    // From packages/sdk/README.md, as written (the import is above).
    const store = new TaskPool('./shared-tasks.db', { maxAttempts: 5 }); // or any TaskStore
    const omc = new OhMyCopilot({ store }); // not with dbPath or pool: InvalidInputError
    const run = await omc.eco('Simple task');
    console.log(run.status, (await omc.getStore().getStats()).completed);
    omc.close(); // closes only what OhMyCopilot opened
    store.close();

    expect(lines).toEqual([[TaskStatus.COMPLETED, 1]]);
  });
});
