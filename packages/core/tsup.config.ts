import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts', 'src/driver.ts'],
  format: ['esm', 'cjs'],
  // Shared code goes to one chunk per format that both entries import, so `@omc/core/testing` uses the same
  // copy of core as `@omc/core`: its errors are `instanceof` core's classes in CommonJS as in ESM. (tsup
  // splits ESM by default; CommonJS only when asked.)
  splitting: true,
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
