import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['better-sqlite3', '@omc/store-postgres', '@omc/core', '@omc/store-sqlite', '@omc/swarm', '@omc/agents'],
});
