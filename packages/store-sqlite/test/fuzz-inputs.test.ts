/**
 * The property-based bad-input suite against the SQLite pool: in memory, and on a file (a fresh one per
 * case, so a failure replays from its seed alone).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeInputFuzz } from '@omc/store-conformance';
import { afterAll } from 'vitest';
import { TaskPool } from '../src/index.js';
import { tempDir } from './helpers.js';

const dir = tempDir('omc-fuzz-inputs-');
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A new file for each case; the previous case's (its pool closed by now) is removed, so a long run stays small. */
function nextFile(): string {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `tasks-${files}.db${suffix}`), { force: true });
  return join(dir, `tasks-${++files}.db`);
}

// Cases per property, sized so the four take under a minute in CI: a fresh file per case costs
// about twice to three times a fresh in-memory pool.
describeInputFuzz(
  {
    name: 'TaskPool (:memory:)',
    createStore: (options) => new TaskPool(':memory:', options),
  },
  { runs: 500 },
);

describeInputFuzz(
  {
    name: 'TaskPool (file)',
    createStore: (options) => new TaskPool(nextFile(), options),
  },
  { runs: 200 },
);
