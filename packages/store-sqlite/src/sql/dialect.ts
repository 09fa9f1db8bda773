import type { SqlDialect } from '@omc/sql-kit';
import { sql } from 'kysely';
import { param } from '../query-builder.js';

/**
 * SQLite for `@omc/sql-kit`: values bound by name through this adapter's placeholders (SQLite needs no
 * casts), columns written bare, and text joined as it is (`||` converts numbers itself).
 * @internal
 */
export const sqliteDialect: SqlDialect = {
  param: (name) => param(name),
  column: (name) => sql.raw(name),
  text: (name) => sql.raw(name),
};
