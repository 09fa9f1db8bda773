import { defineConfig } from 'vitest/config';

// The consumer install and the type checks run real pnpm and tsc processes: seconds each on 2 cores.
export default defineConfig({
  test: { globalSetup: ['./test/global-setup.ts'], testTimeout: 180_000, hookTimeout: 180_000 },
});
