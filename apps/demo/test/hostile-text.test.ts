// Task text comes from whoever created the task. Whatever escape sequences or control characters a title,
// result or error holds, the demos print it as text: it cannot clear the screen, retitle the window, hide a
// link target, overwrite a line with \r, or forge a log line with \n.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskPool } from '@omc/store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript modules of the demo, without declarations
import { showProgress } from '../src/progress.mjs';
// @ts-expect-error: plain JavaScript modules of the demo, without declarations
import { formatTable } from '../src/table.mjs';
import { runOnTerminal, runProgram } from './run.js';

const ESC = '\x1b';
/** A title that would act on the terminal: clear it, retitle the window, link elsewhere, overwrite, forge. */
const HOSTILE =
  `${ESC}[2J${ESC}[HHostile ${ESC}]0;pwned\x07title ${ESC}]8;;https://evil.example/${ESC}\\docs${ESC}]8;;${ESC}\\` +
  ` \x9b31mred\rX\n[executor-9] completed Task 99 (1 ms)`;
/** What the terminal gets instead: the printable text, on one line. */
const SHOWN = 'Hostile title docs redX [executor-9] completed Task 99 (1 ms)';
/** What must not reach the terminal from task text. */
const FORBIDDEN = [`${ESC}[2J`, `${ESC}[H`, `${ESC}]`, '\x07', '\x9b', '\r'];

function seed(db: string, fields: { title: string; description?: string }): void {
  const pool = new TaskPool(db);
  try {
    pool.createTask({ description: 'seeded by the test', ...fields });
  } finally {
    pool.close();
  }
}

/** The terminal output outside the demo's own board sequences (cursor up N lines, erase line, colours). */
function withoutBoardSequences(output: string): string {
  return output.replace(new RegExp(`${ESC}\\[(?:\\d+F|K|\\d*m)`, 'g'), '');
}

describe('the demos print task text without terminal controls', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-demo-hostile-'));
    db = join(dir, 'tasks.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('swarm-demo, piped: the log shows a hostile title as plain text on its own line', async () => {
    seed(db, { title: HOSTILE });

    const ran = await runProgram('swarm-demo', ['--db', db, '--tasks', '1', '--delay', '0', '--agents', '1']);

    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).not.toContain(ESC);
    for (const bad of FORBIDDEN) expect(ran.stdout).not.toContain(bad);
    expect(ran.stdout).toContain(`[executor-1] completed ${SHOWN} (`);
    // The \n in the title did not start a forged line.
    expect(ran.stdout).not.toMatch(/^\[executor-9\]/m);
  });

  it('swarm-demo, on a terminal: the live board shows it without its sequences', async () => {
    seed(db, { title: HOSTILE });

    const ran = await runOnTerminal('swarm-demo', ['--db', db, '--tasks', '1', '--delay', '200', '--agents', '1']);

    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain(`${ESC}[K`); // it was the live board
    const text = withoutBoardSequences(ran.stdout.replace(/\r\n/g, '\n'));
    for (const bad of FORBIDDEN) expect(text).not.toContain(bad);
    expect(text).not.toContain(ESC);
    expect(text).toContain(SHOWN);
  });

  it('typical-flow: a hostile title left in the file by an earlier run is printed as text', async () => {
    seed(db, { title: HOSTILE });

    const ran = await runProgram('typical-flow', ['--db', db]);

    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).not.toContain(ESC);
    for (const bad of FORBIDDEN) expect(ran.stdout).not.toContain(bad);
    expect(ran.stdout).toContain(SHOWN);
  });

  it('the plain log strips titles and errors of failed and retried tasks', () => {
    const handlers = new Map<string, (event: unknown) => void>();
    const swarm = {
      on: (type: string, handler: (event: unknown) => void) => {
        handlers.set(type, handler);
        return () => handlers.delete(type);
      },
    };
    let written = '';
    const out = { isTTY: false, write: (chunk: string) => (written += chunk) };
    const stop = showProgress(swarm, { out, pool: {}, label: 'test' });
    const task = { id: 't1', title: HOSTILE };

    handlers.get('task:retried')!({ worker: 'w-1', task, error: `boom ${ESC}]0;x\x07\nstderr:\n${ESC}[31mred` });
    handlers.get('task:failed')!({ worker: 'w-1', task, error: `gone\r${ESC}[2Kfine` });
    handlers.get('task:lease-lost')!({ worker: 'w-1', task, error: new Error(`lost ${ESC}[1A`) });
    stop();

    expect(written.split('\n')).toEqual([
      `[w-1] retrying  ${SHOWN}: boom `,
      'stderr:',
      'red',
      `[w-1] failed    ${SHOWN}: gonefine`,
      `[w-1] lost      ${SHOWN}: lost `,
      '',
    ]);
  });

  it('formatTable strips text cells and keeps the columns aligned', () => {
    const table = formatTable(
      ['check', 'output'],
      [
        [HOSTILE, `ok${ESC}[31m!`],
        ['b', 7],
      ],
    );
    const lines = table.split('\n');
    expect(table).not.toContain(ESC);
    expect(lines[2]).toBe(`${SHOWN}  ok!   `);
    expect(lines.map((l: string) => l.length)).toEqual(Array(4).fill(lines[0]!.length));
  });
});
