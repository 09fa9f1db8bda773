import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Several tests spawn real processes; on a busy 2-core machine the default 5 s can be tight.
    testTimeout: 20_000,
  },
});
