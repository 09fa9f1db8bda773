/**
 * The model-based suite against the SQLite pool: random sequences run on a TaskPool and on the reference
 * MemoryTaskStore side by side must agree step by step, in memory and on a file.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeModelFuzz } from '@omc/store-conformance';
import { afterAll } from 'vitest';
import { TaskPool } from '../src/index.js';
import { tempDir } from './helpers.js';

describeModelFuzz(
  { name: 'TaskPool (:memory:)', createStore: (options) => new TaskPool(':memory:', options) },
  // Sized with the file target below to about 35 s on a loaded 2-core machine (about 12 ms a sequence
  // in memory, 45 ms on a file).
  { runs: 1500 },
);

const dir = tempDir('omc-fuzz-model-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeModelFuzz(
  {
    name: 'TaskPool (file)',
    createStore: (options) => {
      // Sequences run one after another, so the previous sequence's pool is closed: remove its files.
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `tasks-${files}.db${suffix}`), { force: true });
      files++;
      return new TaskPool(join(dir, `tasks-${files}.db`), options);
    },
  },
  { runs: 400 },
);
