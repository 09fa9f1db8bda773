import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['better-sqlite3', 'kysely', '@omc/core', '@omc/sql-kit'],
  // import.meta.url (native-driver.ts resolves better-sqlite3 from here) in the CommonJS build too.
  shims: true,
});
