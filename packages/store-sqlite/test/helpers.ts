import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { OmcError, type OmcErrorCode, TaskPool, type TaskPoolOptions } from '../src/index.js';

/** The package directory (packages/store-sqlite). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A fresh directory under the OS temp dir. */
export function tempDir(prefix = 'omc-store-sqlite-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The pool's better-sqlite3 handle, the way the guide's raw-SQL examples reach it. */
export function rawDb(pool: TaskPool): Database.Database {
  // biome-ignore lint/complexity/useLiteralKeys: `db` is private; the guide reaches it this way
  return pool['db'];
}

/**
 * Pools and temp dirs for the tests of the enclosing describe(): every pool is closed and every dir
 * removed after each test.
 */
export function usePools() {
  const pools: TaskPool[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const pool of pools.splice(0)) pool.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const api = {
    /** A temp dir removed after the test. */
    dir(): string {
      const dir = tempDir();
      dirs.push(dir);
      return dir;
    },
    /** Keep track of a pool made elsewhere, to close it after the test. */
    track(pool: TaskPool): TaskPool {
      pools.push(pool);
      return pool;
    },
    /** `new TaskPool()`, closed after the test. */
    memory(options?: TaskPoolOptions): TaskPool {
      return api.track(options ? new TaskPool(':memory:', options) : new TaskPool());
    },
    /** `new TaskPool(path)` in a fresh temp dir (or at `path`), closed after the test. */
    file(path = join(api.dir(), 'tasks.db'), options?: TaskPoolOptions): TaskPool {
      return api.track(new TaskPool(path, options));
    },
  };
  return api;
}

/**
 * Capture `console.log` during each test of the enclosing describe(): the returned array holds the
 * current test's calls, each call's arguments joined by spaces.
 */
export function captureConsoleLog(): string[] {
  const lines: string[] = [];
  let spy: { mockRestore(): void } | undefined;
  beforeEach(() => {
    lines.length = 0;
    spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
  });
  afterEach(() => spy?.mockRestore());
  return lines;
}

const NOTHING = Symbol('nothing thrown');

/** Run `fn`, expect it to throw an omc error with this code, and return it. */
export function expectOmcError(fn: () => unknown, code: OmcErrorCode): OmcError {
  let caught: unknown = NOTHING;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}, but nothing was thrown`).not.toBe(NOTHING);
  expect(OmcError.isInstance(caught), `expected an omc error, got ${String(caught)}`).toBe(true);
  expect((caught as OmcError).code, (caught as Error).message).toBe(code);
  return caught as OmcError;
}

/** SHA-256 of a file's bytes. */
export function hashFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The names in a directory, sorted. */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A task row counted straight from the table, by status: the ground truth for `getStats`. */
export function countByStatus(pool: TaskPool): Record<string, number> {
  const rows = rawDb(pool).prepare('select status, count(*) as n from tasks group by status').all() as {
    status: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** `getStats()` recomputed from the rows themselves. */
export function statsFromRows(pool: TaskPool) {
  const counts = countByStatus(pool);
  const get = (status: string) => counts[status] ?? 0;
  return {
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    pending: get('pending'),
    claimed: get('claimed'),
    inProgress: get('in_progress'),
    completed: get('completed'),
    failed: get('failed'),
    cancelled: get('cancelled'),
  };
}

/**
 * The end state of a run that must finish everything: `total` tasks, all COMPLETED, the stats equal to
 * the rows, and the database file intact.
 */
export function expectEveryTaskCompleted(pool: TaskPool, total: number): void {
  expect(pool.getStats()).toEqual({
    total,
    pending: 0,
    claimed: 0,
    inProgress: 0,
    completed: total,
    failed: 0,
    cancelled: 0,
  });
  expect(pool.getStats()).toEqual(statsFromRows(pool));
  expect(rawDb(pool).pragma('integrity_check', { simple: true })).toBe('ok');
}

/**
 * Fail with a clear message unless the built package (dist/index.js) exists and is newer than every
 * source file: the child-process fixtures import the built `@omc/store-sqlite`, and turbo's `test` task
 * depends on `^build` only (the dependencies' builds, not this package's).
 */
export function assertBuiltPackageIsFresh(): void {
  const built = join(PACKAGE_DIR, 'dist', 'index.js');
  if (!existsSync(built)) {
    throw new Error(
      `${built} is missing. The multi-process tests run the BUILT package in child processes; build it first: pnpm turbo run build --filter=@omc/store-sqlite`,
    );
  }
  const builtAt = statSync(built).mtimeMs;
  const srcDir = join(PACKAGE_DIR, 'src');
  const stale = readdirSync(srcDir).filter((name) => statSync(join(srcDir, name)).mtimeMs > builtAt);
  if (stale.length > 0) {
    throw new Error(
      `dist/index.js is older than src/${stale.join(', src/')}: the child processes would test stale code. Rebuild: pnpm turbo run build --filter=@omc/store-sqlite`,
    );
  }
}

/** Epoch milliseconds: an integer close to the wall clock. */
export function expectEpochMs(value: unknown, from: number, to = Date.now()): void {
  expect(Number.isInteger(value), `${String(value)} should be an integer`).toBe(true);
  expect(value as number).toBeGreaterThanOrEqual(from);
  expect(value as number).toBeLessThanOrEqual(to);
}

/** An RFC 4122 UUID. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
