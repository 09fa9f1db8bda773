import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskPool, TaskStatus } from '@omc/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'src', 'command-demo.mjs');

describe('command demo (CommandAgent)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-command-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs real programs: passes, fails with stderr, kills the hanging check at its timeout', () => {
    const db = join(dir, 'checks.db');
    const output = execFileSync(process.execPath, [script, '--db', db], { encoding: 'utf8', timeout: 60_000 });
    const pool = new TaskPool(db);
    const byTitle = new Map(pool.getTasks().map((t) => [t.title, t]));
    pool.close();
    const node = byTitle.get('node is installed');
    expect(node?.status).toBe(TaskStatus.COMPLETED);
    expect(node?.result).toContain(process.version);
    expect(byTitle.get('disk space at /tmp')?.status).toBe(TaskStatus.COMPLETED);
    const missing = byTitle.get('no-such-tool is installed');
    expect(missing?.status).toBe(TaskStatus.FAILED);
    expect(missing?.error).toContain('no-such-tool: not installed');
    const hanging = byTitle.get('a check that hangs');
    expect(hanging?.status).toBe(TaskStatus.FAILED);
    expect(hanging?.error).toMatch(/time/i);
    expect(output).toMatch(/passed, \d+ failed/);
  }, 60_000);
});
