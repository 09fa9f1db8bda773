import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'src', 'typical-flow.mjs');

function runDemo(db: string): string {
  return execFileSync(process.execPath, [script, '--db', db], { encoding: 'utf8' });
}

function statsLine(output: string): Record<string, number> {
  const line = output.split('\n').find((l) => l.startsWith('Stats: '));
  if (!line) throw new Error(`no stats in output:\n${output}`);
  return JSON.parse(line.slice('Stats: '.length));
}

describe('typical-flow demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('processes every task in priority order and prints the stats', () => {
    const output = runDemo(join(dir, 'tasks.db'));
    expect(statsLine(output)).toEqual({
      total: 5,
      pending: 0,
      claimed: 0,
      inProgress: 0,
      completed: 4,
      failed: 1,
      cancelled: 0,
    });
    const order = output
      .split('\n')
      .filter((l) => l.startsWith('  agent-'))
      .map((l) => l.slice(l.indexOf('[') + 1, l.indexOf(']')));
    expect(order).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW']);
  });

  it('keeps the tasks of earlier runs in the file', () => {
    const db = join(dir, 'tasks.db');
    runDemo(db);
    const second = runDemo(db);
    expect(second).toContain('5 task(s) from earlier runs');
    expect(statsLine(second).total).toBe(10);
  });
});

// The same flow on PostgreSQL at OMC_PG_URL (required: an unreachable server fails the test), in a schema
// of its own, dropped after.
describe('typical-flow demo on PostgreSQL (--db postgres://…)', () => {
  const schema = `omc_demo_flow_${randomBytes(6).toString('hex')}`;
  const server = process.env.OMC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const url = new URL(server);
  url.searchParams.set('schema', schema);
  afterAll(async () => {
    const { Client } = createRequire(import.meta.url)('pg') as PgModule;
    const client = new Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });

  it('processes every task in priority order, and keeps them for the next run', () => {
    const first = runDemo(url.toString());
    expect(statsLine(first)).toMatchObject({ total: 5, completed: 4, failed: 1, pending: 0 });
    const order = first
      .split('\n')
      .filter((l) => l.startsWith('  agent-'))
      .map((l) => l.slice(l.indexOf('[') + 1, l.indexOf(']')));
    expect(order).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW']);
    const second = runDemo(url.toString());
    expect(second).toContain('5 task(s) from earlier runs');
    expect(statsLine(second).total).toBe(10);
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
