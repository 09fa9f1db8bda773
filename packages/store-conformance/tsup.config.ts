import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // The suite registers tests with the caller's vitest and checks the caller's copy of @omc/core:
  // bundling either would give the adapter a second, disconnected instance.
  external: ['vitest', '@omc/core'],
});
