import { fork } from 'node:child_process';
import { chownSync, closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TaskPool, type TaskPoolOptions } from '../src/index.js';
import { PACKAGE_DIR, rawDb } from './helpers.js';

/** The b-tree pages of a table or index, as SQLite's `dbstat` lists them. */
export interface BtreePage {
  pageno: number;
  pagetype: 'internal' | 'leaf' | 'overflow';
}

/** A closed pool file holding `count` acknowledged tasks, and where its b-trees live. */
export interface FilledFile {
  ids: string[];
  pageSize: number;
  pages: Map<string, BtreePage[]>;
}

/** Create `count` tasks in a new pool at `path`, close it (checkpointed: no -wal left), and map its pages. */
export function fillFile(path: string, count: number): FilledFile {
  const pool = new TaskPool(path);
  const ids = pool
    .createTasks(
      Array.from({ length: count }, (_, i) => ({ title: `task ${i}`, description: `acknowledged task ${i}` })),
    )
    .map((task) => task.id);
  const db = rawDb(pool);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = new Map<string, BtreePage[]>();
  for (const row of db.prepare('select name, pageno, pagetype from dbstat order by pageno').all() as ({
    name: string;
  } & BtreePage)[]) {
    pages.set(row.name, [...(pages.get(row.name) ?? []), { pageno: row.pageno, pagetype: row.pagetype }]);
  }
  pool.close();
  return { ids, pageSize, pages };
}

/** The leaf pages of b-tree `name` (a table or an index). */
export function leaves(file: FilledFile, name: string): number[] {
  const found = (file.pages.get(name) ?? []).filter((page) => page.pagetype === 'leaf').map((page) => page.pageno);
  if (found.length < 2) throw new Error(`${name} has ${found.length} leaf pages; the test needs at least 2`);
  return found;
}

/** Write `bytes` into the file at `offset`, in place (as a failing disk or a stray write would). */
export function overwrite(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/** Copy page `from` over page `to` (1-based): a well-formed page in the wrong place. */
export function copyPage(path: string, pageSize: number, from: number, to: number): void {
  const page = Buffer.alloc(pageSize);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, page, 0, pageSize, (from - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  overwrite(path, (to - 1) * pageSize, page);
}

/** Which of SQLite's side files exist beside `path`. */
export function sideFiles(path: string): string[] {
  return ['-wal', '-shm', '-journal'].filter((suffix) => existsSync(path + suffix));
}

/** Replace every occurrence of `from` in the file's bytes with `to` (same length); how many there were. */
export function patchText(path: string, from: string, to: string): number {
  if (from.length !== to.length) throw new Error('patchText keeps the length');
  const bytes = readFileSync(path);
  let count = 0;
  for (let at = bytes.indexOf(from, 0, 'latin1'); at >= 0; at = bytes.indexOf(from, at + 1, 'latin1')) {
    overwrite(path, at, Buffer.from(to, 'latin1'));
    count++;
  }
  if (count === 0) throw new Error(`${from} is not in ${path}`);
  return count;
}

/**
 * The user the permission tests run as. Root ignores file modes (it may write a 0444 file), so when the
 * tests run as root the pool is opened in a child process forked with the uid and gid of `nobody`, and
 * the files it should own are handed to that user; otherwise the child runs as the current user.
 */
export const OTHER_USER: { uid: number; gid: number } | undefined = (() => {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return { uid: Number(uid ?? 65534), gid: Number(gid ?? 65534) };
})();

/** Make `paths` belong to the user the child runs as (a no-op when not root). */
export function handOver(...paths: string[]): void {
  if (OTHER_USER === undefined) return;
  for (const path of paths) if (existsSync(path)) chownSync(path, OTHER_USER.uid, OTHER_USER.gid);
}

/** What one call returned in the child, or the error it threw (its class name, code and fields). */
export type Outcome =
  | { ok: unknown }
  | { error: { name: string; code: string | null; problem: string | null; taskId: string | null; message: string } };

/**
 * Open a pool at `path` in a child process as {@link OTHER_USER} (the built package, as another program
 * would), make `calls` (`[method, ...args]`; `'$task'`/`'$taskId'` stand for the first task), close it.
 */
export function openAsOtherUser(
  path: string,
  options: TaskPoolOptions,
  calls: unknown[][] = [],
): Promise<{ open: Outcome; calls: Outcome[] }> {
  const child = fork(
    join(PACKAGE_DIR, 'test', 'fixtures', 'open-pool.mjs'),
    [path, JSON.stringify(options), JSON.stringify(calls)],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], ...OTHER_USER },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`open-pool.mjs exited ${code}:\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}
