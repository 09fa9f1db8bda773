import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The conformance suite (imported from ../store-conformance/src) imports '@omc/core', which would
    // resolve to dist/: a build turbo does not order before core's own tests, and a second copy of core
    // beside the sources under test. Point it at the sources instead.
    alias: [
      { find: /^@omc\/core$/, replacement: source('./src/index.ts') },
      { find: /^@omc\/core\/testing$/, replacement: source('./src/testing.ts') },
    ],
  },
});
