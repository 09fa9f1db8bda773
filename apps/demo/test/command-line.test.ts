import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROGRAMS, REPO, run, runOnTerminal, runProgram, SCRIPTS } from './run.js';

// Small runs: every program finishes in a second or two.
const QUICK: Record<(typeof PROGRAMS)[number], string[]> = {
  'swarm-demo': ['--agents', '2', '--tasks', '3', '--delay', '5'],
  'command-demo': [],
  'typical-flow': ['--agents', '2'],
};
const DB_NAMES = {
  'swarm-demo': 'swarm-tasks.db',
  'command-demo': 'command-checks.db',
  'typical-flow': 'typical-flow.db',
};
/** What every program's --db takes, as its refusals say. */
const DB_VALUE = 'a SQLite file path (or sqlite: URL) or a postgres:// URL';
const ESC = '\x1b';
/** What each program's last lines say, to know a terminal run got that far. */
const LAST_WORDS = { 'swarm-demo': 'Stats: ', 'command-demo': ' passed, ', 'typical-flow': 'Stats: ' };

/** The file's modification time, or `undefined` when it does not exist. */
const modified = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : undefined);

/** One line on stderr, no stack trace, exit code 2. */
function expectOneLineRefusal(ran: { code: number | null; stdout: string; stderr: string }, program: string) {
  expect(ran.code).toBe(2);
  const lines = ran.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${program}: `));
  expect(ran.stderr).not.toMatch(/\n\s+at /);
  return lines[0] as string;
}

describe('the demos’ command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-demo-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const program of PROGRAMS) {
    it(`${program}: runs through pnpm with \`--\` as the README writes it; its pool file lands where the user is`, async () => {
      // Someone may have run the demo inside apps/demo before: that file must stay as it was.
      const inPackage = join(REPO, 'apps', 'demo', DB_NAMES[program]);
      const before = modified(inPackage);
      const args = ['--dir', REPO, '--filter', '@omc-app/demo', SCRIPTS[program], '--', ...QUICK[program]];
      const ran = await run('pnpm', args, { cwd: dir });
      expect(ran.stderr).not.toContain('ERR_PARSE_ARGS');
      expect(ran.code).toBe(0);
      expect(existsSync(join(dir, DB_NAMES[program]))).toBe(true);
      expect(modified(inPackage)).toBe(before);
    });

    it(`${program}: --help prints the usage and exits 0`, async () => {
      const ran = await runProgram(program, ['--help']);
      expect(ran.code).toBe(0);
      expect(ran.stdout).toMatch(/^Usage: pnpm --filter @omc-app\/demo \S+ -- \[options\]/);
      expect(ran.stdout).toContain('--db FILE');
      expect(ran.stderr).toBe('');
    });

    it(`${program}: an unknown flag, a missing value, a stray argument: one line each, exit 2`, async () => {
      const unknown = expectOneLineRefusal(await runProgram(program, ['--bogus']), program);
      expect(unknown).toContain('unknown option --bogus (accepted: ');
      expect(unknown).toContain('--db');
      const missing = expectOneLineRefusal(await runProgram(program, ['--db']), program);
      expect(missing).toBe(`${program}: --db needs a value: ${DB_VALUE}`);
      const stray = expectOneLineRefusal(await runProgram(program, ['oops']), program);
      expect(stray).toContain("unexpected argument 'oops'");
    });

    it(`${program}: a relative --db run with node lands in the working directory, whatever INIT_CWD says`, async () => {
      const ran = await runProgram(program, [...QUICK[program], '--db', 'here.db'], {
        cwd: dir,
        env: { INIT_CWD: join(dir, 'elsewhere') },
      });
      expect(ran.code).toBe(0);
      expect(existsSync(join(dir, 'here.db'))).toBe(true);
    });

    it(`${program}: plain lines, no escape sequences, on a pipe and on a terminal with NO_COLOR`, async () => {
      const piped = await runProgram(program, [...QUICK[program], '--db', join(dir, 'piped.db')]);
      expect(piped.code).toBe(0);
      expect(piped.stdout).not.toContain(ESC);
      const terminal = await runOnTerminal(program, [...QUICK[program], '--db', join(dir, 'tty.db')], {
        env: { NO_COLOR: '1' },
      });
      expect(terminal.code).toBe(0);
      expect(terminal.stdout).toContain(LAST_WORDS[program]);
      expect(terminal.stdout).not.toContain(ESC);
    });
  }

  it("swarm-demo: a relative --db given to pnpm is taken from the user's directory, not apps/demo", async () => {
    const args = [
      '--dir',
      REPO,
      '--filter',
      '@omc-app/demo',
      'start',
      '--',
      ...QUICK['swarm-demo'],
      '--db',
      './mine.db',
    ];
    const inPackage = join(REPO, 'apps', 'demo', 'mine.db');
    const before = modified(inPackage);
    const ran = await run('pnpm', args, { cwd: dir });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`Pool ${join(dir, 'mine.db')} `);
    expect(existsSync(join(dir, 'mine.db'))).toBe(true);
    expect(modified(inPackage)).toBe(before);
  });

  it('swarm-demo: without NO_COLOR, a terminal gets the live board (the terminal runs are real terminals)', async () => {
    const ran = await runOnTerminal('swarm-demo', [...QUICK['swarm-demo'], '--db', join(dir, 'board.db')]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`${ESC}[K`);
  });

  it('swarm-demo: a negative --tasks or --delay, a zero --timeout, an unknown provider: one line, exit 2', async () => {
    expect(expectOneLineRefusal(await runProgram('swarm-demo', ['--tasks', '-5']), 'swarm-demo')).toBe(
      "swarm-demo: --tasks must be an integer from 1 to 1000000, got '-5'",
    );
    expect(expectOneLineRefusal(await runProgram('swarm-demo', ['--delay', '-1']), 'swarm-demo')).toBe(
      "swarm-demo: --delay must be an integer from 0 to 2147483647, got '-1'",
    );
    expect(expectOneLineRefusal(await runProgram('swarm-demo', ['--timeout=0']), 'swarm-demo')).toBe(
      "swarm-demo: --timeout must be an integer from 1 to 2147483647, got '0'",
    );
    expect(expectOneLineRefusal(await runProgram('swarm-demo', ['--tasks']), 'swarm-demo')).toBe(
      'swarm-demo: --tasks needs a value: an integer from 1 to 1000000',
    );
    expect(expectOneLineRefusal(await runProgram('swarm-demo', ['--provider', 'nope']), 'swarm-demo')).toContain(
      '--provider must be one of scripted, openai, openai-compatible, ollama',
    );
  });

  it('swarm-demo: a --db that is not a database, or a bad --prices file: one line, exit 2', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'not a database');
    expect(
      expectOneLineRefusal(await runProgram('swarm-demo', ['--db', join(dir, 'notes.txt')]), 'swarm-demo'),
    ).toContain('is not a SQLite database');
    writeFileSync(join(dir, 'prices.json'), '{"foo": {"inputPer1M": "cheap"}}');
    const prices = expectOneLineRefusal(
      await runProgram('swarm-demo', ['--prices', join(dir, 'prices.json'), '--db', join(dir, 'p.db')]),
      'swarm-demo',
    );
    expect(prices).toContain('entry "foo" needs inputPer1M and outputPer1M');
  });

  it('swarm-demo: --db takes a sqlite: URL from where the user is, and OMC_DB when --db is not given', async () => {
    const quick = QUICK['swarm-demo'];
    const url = await runProgram('swarm-demo', [...quick, '--db', 'sqlite:./url.db'], { cwd: dir });
    expect(url.code).toBe(0);
    expect(url.stdout).toContain(`Pool ${join(dir, 'url.db')} `);
    const fromEnv = await runProgram('swarm-demo', quick, { cwd: dir, env: { OMC_DB: 'env.db' } });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain(`Pool ${join(dir, 'env.db')} `);
    const flagWins = await runProgram('swarm-demo', [...quick, '--db', 'flag.db'], {
      cwd: dir,
      env: { OMC_DB: 'not-this.db' },
    });
    expect(flagWins.code).toBe(0);
    expect(existsSync(join(dir, 'flag.db'))).toBe(true);
    expect(existsSync(join(dir, 'not-this.db'))).toBe(false);
    expect(existsSync(join(dir, 'swarm-tasks.db'))).toBe(false);
    const help = await runProgram('swarm-demo', ['--help']);
    expect(help.stdout).toMatch(
      /--db FILE\|URL +the pool, kept between runs: a SQLite file, or postgres:.*; or OMC_DB, default/,
    );
  });

  it('swarm-demo: a --db or OMC_DB that names no store: one line saying what is accepted, no password, exit 2', async () => {
    const flag = expectOneLineRefusal(
      await runProgram('swarm-demo', ['--db', 'mysql://root:hunter2@db/omc'], { cwd: dir }),
      'swarm-demo',
    );
    expect(flag).toContain("swarm-demo: --db: Unsupported store URL 'mysql://root:***@db/omc': its scheme mysql:");
    expect(flag).toContain('accepted: a SQLite file path');
    const env = expectOneLineRefusal(
      await runProgram('swarm-demo', [], { cwd: dir, env: { OMC_DB: 'postgres://omc:hunter2@db:port/omc' } }),
      'swarm-demo',
    );
    expect(env).toContain("swarm-demo: OMC_DB: Unsupported store URL 'postgres://omc:***@db:port/omc'");
    // A PostgreSQL URL that is well formed but reaches no server (nothing listens on port 1).
    const down = expectOneLineRefusal(
      await runProgram('swarm-demo', ['--db', 'postgres://omc:hunter2@127.0.0.1:1/omc?schema=omc_demo_down']),
      'swarm-demo',
    );
    expect(down).toContain('127.0.0.1:1');
    expect(flag + env + down).not.toContain('hunter2');
  });
});
