import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTaskStore } from '@omc/sdk';
import { TaskPool, TaskStatus } from '@omc/store-sqlite';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'src', 'swarm-demo.mjs');
const COMPLETED_LINE = /^\[(executor-\d+)\] completed (Task \d+) /;

function runDemo(args: string[]): string {
  return execFileSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60_000 });
}

function completedLines(output: string): Array<{ worker: string; title: string }> {
  return output.split('\n').flatMap((line) => {
    const match = COMPLETED_LINE.exec(line);
    return match ? [{ worker: match[1] as string, title: match[2] as string }] : [];
  });
}

/** Start the demo and resolve once it has logged `count` completions (the run is still going). */
function startUntilCompleted(args: string[], count: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (completedLines(output).length >= count) resolve({ child, output: () => output });
    });
    child.on('exit', (code) => reject(new Error(`demo exited (${code}) before ${count} completions:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

/** How many times each task (by title) was completed, from its history: any store the demo takes. */
async function completionsPerTask(db: string): Promise<Map<string, number>> {
  const store = await openTaskStore(db);
  try {
    const counts = new Map<string, number>();
    for (const task of await store.getTasks()) {
      const history = await store.getTaskHistory(task.id);
      counts.set(task.title, history.filter((h) => h.to === TaskStatus.COMPLETED).length);
    }
    return counts;
  } finally {
    await store.close();
  }
}

/** The SIGKILL run, then the run that resumes it, on the pool `db` names. */
async function resumesAfterSigkill(db: string): Promise<void> {
  const { child, output } = await startUntilCompleted(['--db', db, '--delay', '300'], 6);
  child.kill('SIGKILL');
  await exited(child);
  const firstRun = completedLines(output());
  expect(firstRun.length).toBeLessThan(20);

  const second = runDemo(['--db', db, '--delay', '20']);
  expect(second).toMatch(/Resuming: \d+ of 20 task\(s\) already finished/);
  const secondRun = completedLines(second);
  // No task completed in the first run was done again, and together they did all twenty.
  const titles = [...firstRun, ...secondRun].map((d) => d.title);
  expect(new Set(titles).size).toBe(titles.length);
  const completions = await completionsPerTask(db);
  expect(completions.size).toBe(20);
  for (const [title, count] of completions) expect({ title, count }).toEqual({ title, count: 1 });
  expect(second).toContain('"claimed":0,"inProgress":0,"completed":20');
}

describe('swarm demo (the guide’s Multi-Agent Example)', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-swarm-demo-'));
    db = join(dir, 'swarm-tasks.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs 20 tasks on 5 executors, HIGH first, and prints the summary', () => {
    const output = runDemo(['--db', db, '--delay', '20']);
    expect(output).toContain('scripted (offline)');
    const done = completedLines(output);
    expect(done).toHaveLength(20);
    expect(new Set(done.map((d) => d.title)).size).toBe(20);
    // Five workers of one kind, and every one of them worked.
    expect(new Set(done.map((d) => d.worker))).toEqual(
      new Set(['executor-1', 'executor-2', 'executor-3', 'executor-4', 'executor-5']),
    );
    // The first five (HIGH) were all claimed before any MEDIUM task: with five workers they are the
    // first five claims, so none of them completes after the tenth completion.
    const position = new Map(done.map((d, i) => [d.title, i]));
    for (let i = 1; i <= 5; i++) expect(position.get(`Task ${i}`)).toBeLessThan(10);
    expect(output).toMatch(/^agent\s+completed\s+failed/m);
    expect(output).toContain('Stats: {"total":20,"pending":0,"claimed":0,"inProgress":0,"completed":20');
  });

  it('resumes after SIGKILL: every task completed exactly once, none redone', () => resumesAfterSigkill(db), 60_000);

  it('stops on Ctrl-C leaving nothing claimed, then resumes', async () => {
    const { child } = await startUntilCompleted(['--db', db, '--delay', '300'], 3);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    const pool = new TaskPool(db);
    const stats = pool.getStats();
    pool.close();
    expect(stats.claimed + stats.inProgress).toBe(0);
    expect(stats.completed).toBeGreaterThanOrEqual(3);
    expect(stats.completed).toBeLessThan(20);

    const second = runDemo(['--db', db, '--delay', '20']);
    expect(second).toContain('"claimed":0,"inProgress":0,"completed":20');
    for (const [, count] of await completionsPerTask(db)) expect(count).toBe(1);
  }, 60_000);

  it('refuses a bad flag with a message and exit code 2', () => {
    expect(() => execFileSync(process.execPath, [script, '--agents', 'zero'], { stdio: 'pipe' })).toThrow(
      /--agents must be an integer/,
    );
  });
});

// The same demo on PostgreSQL at OMC_PG_URL (a running server is required: an unreachable one fails the
// test, never skips it), with one flag: --db with the URL, in a schema of its own (?schema=), dropped after.
const PG_URL = process.env.OMC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const require = createRequire(import.meta.url);

describe('swarm demo on PostgreSQL (--db postgres://…)', () => {
  const schema = `omc_demo_${randomBytes(6).toString('hex')}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  const db = url.toString();
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

  it('resumes after SIGKILL: every task completed exactly once, none redone', async () => {
    await resumesAfterSigkill(db);
    expect(runDemo(['--db', db, '--delay', '0'])).toContain(`Pool ${db} `);
  }, 90_000);
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
