import { defineConfig } from 'vitest/config';

// Each example is a child process that loads tsx and better-sqlite3: seconds on a loaded machine.
export default defineConfig({ test: { testTimeout: 60_000 } });
