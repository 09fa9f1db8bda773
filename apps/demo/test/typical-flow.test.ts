import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

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
