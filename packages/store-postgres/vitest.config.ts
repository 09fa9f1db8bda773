import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every test opens a pool on a fresh schema (a migration): slower than in memory, never timed.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
