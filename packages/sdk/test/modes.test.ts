import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Agent,
  FunctionAgent,
  InvalidInputError,
  OhMyCopilot,
  type OhMyCopilotOptions,
  TaskStatus,
  type TaskStore,
} from '../src/index.js';
import { type AsyncTaskStore, createAsyncStore } from './async-store.js';

/** A role-agent factory that records which role ran which task, in order. */
function recordingRoles(log: string[], failRole?: string) {
  const make = (role: string) => (): Agent =>
    new FunctionAgent({
      name: role,
      run: (task, ctx) => {
        log.push(`${role}:${ctx.dependencies.map((d) => d.result).join('|')}`);
        if (role === failRole) throw new Error(`${role} gave up`);
        return `${role} did ${task.title}`;
      },
    });
  return {
    architect: make('architect'),
    executor: make('executor'),
    qaTester: make('qa-tester'),
    securityReviewer: make('security-reviewer'),
  };
}

/** Where one test's OhMyCopilots keep their tasks. */
interface Storage {
  /** Options of an OhMyCopilot over the storage called `name`; the same name again is the same storage, reopened. */
  options(name: string, pool?: { maxAttempts?: number }): OhMyCopilotOptions<TaskStore>;
  close(): Promise<void>;
}

/** Every kind of store the modes must work over: the SQLite pool OhMyCopilot opens, and an asynchronous store. */
const TARGETS: ReadonlyArray<{ name: string; open(): Storage }> = [
  {
    name: 'SQLite pool from dbPath',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'omc-modes-'));
      return {
        options: (name, pool) => ({ dbPath: join(dir, `${name}.db`), pool }),
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'asynchronous store',
    open() {
      const stores = new Map<string, AsyncTaskStore>();
      return {
        options(name, pool) {
          const store = stores.get(name) ?? createAsyncStore(pool);
          stores.set(name, store);
          return { store };
        },
        async close() {
          for (const store of stores.values()) await store.close();
        },
      };
    },
  },
];

describe('the asynchronous target', () => {
  it('answers every call with a promise, on a later turn of the event loop', async () => {
    const store = createAsyncStore();
    const created = store.createTask({ title: 't', description: 'd' });
    expect(created).toBeInstanceOf(Promise);
    const { id } = await created;
    const read = store.getTask(id);
    expect(read).toBeInstanceOf(Promise);
    expect((await read)?.id).toBe(id);
    await store.close();
  });
});

for (const target of TARGETS)
  describe(`execution modes over the ${target.name}`, () => {
    let storage: Storage;
    beforeEach(() => {
      storage = target.open();
    });
    afterEach(() => storage.close());

    it('autopilot runs architect → executor → QA → security in order, each seeing the previous result', async () => {
      const log: string[] = [];
      const omc = new OhMyCopilot({ ...storage.options('a'), roleAgents: recordingRoles(log) });
      const run = await omc.autopilot('Build authentication system');
      expect(run.status).toBe('completed');
      expect(run.stages.map((s) => s.role)).toEqual(['architect', 'executor', 'qa-tester', 'security-reviewer']);
      expect(log).toEqual([
        'architect:',
        'executor:architect did Design: Build authentication system',
        'qa-tester:executor did Implement: Build authentication system',
        'security-reviewer:qa-tester did Test: Build authentication system',
      ]);
      omc.close();
    });

    it('autopilot is resumable: the same goal again finds the same run and redoes nothing', async () => {
      const log: string[] = [];
      const first = new OhMyCopilot({ ...storage.options('resume'), roleAgents: recordingRoles(log) });
      const run = await first.autopilot('Ship it');
      first.close();
      const second = new OhMyCopilot({ ...storage.options('resume'), roleAgents: recordingRoles(log) });
      const again = await second.autopilot('Ship it');
      expect(again.runId).toBe(run.runId);
      expect(again.stages.map((s) => s.taskId)).toEqual(run.stages.map((s) => s.taskId));
      expect(log).toHaveLength(4);
      expect((await second.getStore().getStats()).total).toBe(4);
      second.close();
    });

    it('autopilot: a failed stage cancels the rest, naming it', async () => {
      const log: string[] = [];
      const omc = new OhMyCopilot({
        ...storage.options('f', { maxAttempts: 1 }),
        roleAgents: recordingRoles(log, 'executor'),
      });
      const run = await omc.autopilot('Doomed');
      expect(run.status).toBe('failed');
      expect(run.stages.map((s) => s.status)).toEqual([
        TaskStatus.COMPLETED,
        TaskStatus.FAILED,
        TaskStatus.CANCELLED,
        TaskStatus.CANCELLED,
      ]);
      expect(run.stages[2]?.error).toContain(run.stages[1]?.taskId);
      omc.close();
    });

    it('modes leave other work in the pool alone', async () => {
      const omc = new OhMyCopilot({ ...storage.options('shared'), roleAgents: recordingRoles([]) });
      const other = await omc.getStore().createTask({ title: 'someone else’s', description: 'not for autopilot' });
      await omc.autopilot('Mine');
      await omc.ultra([{ title: 'u' }]);
      await omc.eco('e');
      expect((await omc.getStore().getTask(other.id))?.status).toBe(TaskStatus.PENDING);
      omc.close();
    });

    it('ultra runs items in parallel, each by its own agent, results in item order', async () => {
      let running = 0;
      let peak = 0;
      const slow = (name: string) =>
        new FunctionAgent({
          name,
          run: async (task) => {
            running++;
            peak = Math.max(peak, running);
            await new Promise((r) => setTimeout(r, 50));
            running--;
            return `${name}:${task.title}`;
          },
        });
      const omc = new OhMyCopilot(storage.options('u'));
      const results = await omc.ultra([
        { title: 'one', agent: slow('a') },
        { title: 'two', agent: slow('b') },
        { title: 'three', agent: slow('c') },
      ]);
      expect(results.map((r) => r.content)).toEqual(['a:one', 'b:two', 'c:three']);
      expect(peak).toBe(3);
      omc.close();
    });

    it('eco asks for the cheapest model and runs one task', async () => {
      const tiers: Array<string | undefined> = [];
      const omc = new OhMyCopilot({
        ...storage.options('e'),
        roleAgents: {
          executor: (options) => {
            tiers.push(options?.tier);
            return new FunctionAgent({ name: 'eco', run: () => 'cheap answer' });
          },
        },
      });
      const result = await omc.eco('Simple task');
      expect(result).toMatchObject({ status: TaskStatus.COMPLETED, content: 'cheap answer' });
      expect(tiers).toEqual(['cheapest']);
      omc.close();
    });

    it('refuses an empty goal or item list with InvalidInputError', async () => {
      const omc = new OhMyCopilot(storage.options('empty'));
      await expect(omc.autopilot('  ')).rejects.toBeInstanceOf(InvalidInputError);
      await expect(omc.eco('')).rejects.toBeInstanceOf(InvalidInputError);
      await expect(omc.ultra([])).rejects.toBeInstanceOf(InvalidInputError);
      expect((await omc.getStore().getStats()).total).toBe(0);
      omc.close();
    });
  });
