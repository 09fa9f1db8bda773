import { defineConfig } from 'vitest/config';

// The README blocks install and build a copy of the repository, then run the demo and the bench at short
// sizes: minutes on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 300_000 } });
