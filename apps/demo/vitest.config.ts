import { defineConfig } from 'vitest/config';

// Each test runs the demo as a child process (some twice); on a loaded machine that takes seconds.
export default defineConfig({ test: { testTimeout: 60_000 } });
