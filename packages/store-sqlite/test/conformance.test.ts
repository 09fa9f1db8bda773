/**
 * The shared TaskStore conformance suite, against the SQLite pool: in memory, on a new file, and on a
 * file that an earlier pool created and closed (so every test also runs on a reopened database).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTaskStoreConformance } from '@omc/store-conformance';
import { afterAll } from 'vitest';
import { TaskPool } from '../src/index.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A path in a fresh temp dir, removed after the file's tests. */
function freshPath(): string {
  const dir = tempDir('omc-conformance-');
  dirs.push(dir);
  return join(dir, 'tasks.db');
}

runTaskStoreConformance({
  name: 'TaskPool (:memory:)',
  createStore: (options) => new TaskPool(':memory:', options),
});

runTaskStoreConformance({
  name: 'TaskPool (new file)',
  createStore: (options) => new TaskPool(freshPath(), options),
});

runTaskStoreConformance({
  name: 'TaskPool (reopened file)',
  createStore: (options) => {
    const path = freshPath();
    new TaskPool(path).close();
    return new TaskPool(path, options);
  },
});
