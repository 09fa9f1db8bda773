import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What a child process left behind. */
export interface ChildResult {
  code: number | null;
  stderr: string;
}

/** A forked fixture (a `.mjs` under test/fixtures) with an IPC channel. */
export interface Child {
  process: ChildProcess;
  result: Promise<ChildResult>;
  /** Settles with the child's first IPC message (it is loaded and waiting). */
  ready: Promise<unknown>;
}

/**
 * Fixtures run the built package (as users do): refuse a `dist` older than `src`, which would test old
 * code. `pnpm --filter @omc/store-postgres build` (turbo's test task builds first).
 */
export function assertBuiltPackageIsFresh(): void {
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  let built: number;
  try {
    built = statSync(join(PACKAGE_DIR, 'dist', 'index.js')).mtimeMs;
  } catch {
    throw new Error('store-postgres is not built: run `pnpm --filter @omc/store-postgres build` first.');
  }
  if (built < newest(join(PACKAGE_DIR, 'src'))) {
    throw new Error('store-postgres dist/ is older than src/: run `pnpm --filter @omc/store-postgres build`.');
  }
}

/** Fork `test/fixtures/<name>` with `args`. */
export function forkFixture(name: string, args: string[]): Child {
  const child = fork(join(PACKAGE_DIR, 'test', 'fixtures', name), args, {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr}`)));
  });
  return { process: child, result, ready };
}
