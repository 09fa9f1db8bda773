import {
  type Compilable,
  DummyDriver,
  Kysely,
  type RawBuilder,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { Database } from './schema.js';

/**
 * A Kysely that only compiles: queries are built with it once and run as prepared better-sqlite3
 * statements, so Kysely's async driver never sits on the hot path.
 * @internal
 */
export const builder = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/**
 * A named parameter (`@name`), bound from an object when the statement runs. Kysely would otherwise
 * bake the build-time value into the compiled parameters.
 * @internal
 */
export function param<T>(name: string): RawBuilder<T> {
  return sql.raw<T>(`@${name}`);
}

/** SQL text plus the fixed positional parameters Kysely compiled into it. @internal */
export interface CompiledShape {
  sql: string;
  parameters: readonly unknown[];
}

/** @internal */
export function compile(query: Compilable): CompiledShape {
  const { sql: text, parameters } = query.compile();
  return { sql: text, parameters };
}
