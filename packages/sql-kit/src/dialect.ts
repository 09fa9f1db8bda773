import type { RawBuilder } from 'kysely';

/** SQL types a bound value may need to be cast to (PostgreSQL infers less than SQLite, which ignores them). */
export type SqlValueType = 'text' | 'bigint' | 'int' | 'boolean' | 'text[]';

/**
 * What an SQL adapter tells the kit about its engine: how a value is bound by name, and how a column of
 * the row is written in an expression. Everything else the kit builds is the same SQL on every engine.
 *
 * ### Examples
 * ```ts
 * import { sql } from 'kysely';
 * const postgres: SqlDialect = {
 *   param: (name, type) => sql`${myPlaceholder(name)}::${sql.raw(type)}`,
 *   column: (name) => sql.ref(name),
 *   text: (name) => sql`${sql.ref(name)}::text`,
 * };
 * ```
 */
export interface SqlDialect {
  /** A value bound by `name` when the statement runs, as the adapter's placeholder, of SQL type `type`. */
  param(name: string, type: SqlValueType): unknown;
  /** A column of the row the statement reads or writes (before the write, inside SET). */
  column(name: string): RawBuilder<unknown>;
  /** A column as text, to join into a reason text with `||` (SQLite converts by itself). */
  text(name: string): RawBuilder<unknown>;
}
