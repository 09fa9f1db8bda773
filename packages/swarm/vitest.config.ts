import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // One copy of core, from its sources: the swarm's tests do not depend on core's dist being built (or
    // rebuilt under them), and the SQLite store's dist shares the same copy.
    alias: [
      { find: /^@omc\/core$/, replacement: source('../core/src/index.ts') },
      { find: /^@omc\/core\/testing$/, replacement: source('../core/src/testing.ts') },
    ],
  },
  test: {
    // The SQLite integration tests spawn processes and run thousands of tasks on a file.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
