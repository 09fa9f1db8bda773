import { createHash } from 'node:crypto';
import {
  type Compilable,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely';
import type { Database } from './schema.js';

/** The statement builder of one schema: every table reference it compiles is qualified by that schema. @internal */
export type Builder = Kysely<Database>;

/**
 * A Kysely that only compiles: every statement is built once per schema and run by `pg` with its
 * compiled text and values, so Kysely's own driver never sits on the hot path.
 * @internal
 */
const compileOnly = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The builder for `schema`: tables are written `"schema"."tasks"`. @internal */
export function builderFor(schema: string): Builder {
  return compileOnly.withSchema(schema);
}

const PARAM = Symbol('omc.pg.param');

interface ParamRef {
  readonly [PARAM]: string;
}

/** PostgreSQL types a parameter is cast to where the statement alone would not say. */
export type ParamType = 'text' | 'bigint' | 'int' | 'boolean' | 'text[]' | 'bigint[]' | 'int[]';

/**
 * A value bound by name when the statement runs, cast to `type`. Kysely compiles it like any value (a
 * `$n` placeholder); {@link Statement.values} lays the call's named values out in that order.
 * @internal
 */
export function param<T = never>(name: string, type?: ParamType): RawBuilder<T> {
  const ref: ParamRef = { [PARAM]: name };
  return type === undefined ? sql<T>`${ref}` : sql<T>`${ref}::${sql.raw(type)}`;
}

function paramName(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && PARAM in value ? (value as ParamRef)[PARAM] : undefined;
}

/** Values for a statement's named parameters. @internal */
export type Bindings = Readonly<Record<string, unknown>>;

/**
 * A compiled statement: its SQL text, a prepared-statement name derived from that text (so one name
 * always means one text on a connection, whatever pools share it), and the order of its parameters.
 * @internal
 */
export class Statement {
  readonly name: string;
  private readonly names: readonly (string | undefined)[];
  private readonly constants: readonly unknown[];

  constructor(
    readonly text: string,
    parameters: readonly unknown[],
  ) {
    this.name = `omc_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    this.names = parameters.map(paramName);
    this.constants = parameters;
  }

  /** Each parameter in order: `$name` for a value bound by name, the compiled constant otherwise (for the dump). */
  describeParameters(): string[] {
    return this.names.map((name, i) => (name === undefined ? JSON.stringify(this.constants[i]) : `$${name}`));
  }

  /** The positional values of one call; a named value missing from `values` throws. */
  values(values: Bindings): unknown[] {
    const out = new Array<unknown>(this.names.length);
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i];
      if (name === undefined) {
        out[i] = this.constants[i];
        continue;
      }
      const value = values[name];
      if (value === undefined && !(name in values)) throw new TypeError(`omc internal error: no value for ${name}`);
      out[i] = value;
    }
    return out;
  }
}

/** Compile a query once. @internal */
export function compile(query: Compilable): Statement {
  const { sql: text, parameters } = query.compile();
  return new Statement(text, parameters);
}

/** A schema-qualified table name for raw SQL: `"schema"."table"`. @internal */
export function table(schema: string, name: string): RawBuilder<unknown> {
  return sql.id(schema, name);
}

/** The DDL builder for `schema`. @internal */
export function schemaBuilderFor(schema: string) {
  return compileOnly.schema.withSchema(schema);
}

/** Raw SQL compiled to its text (constants only: DDL takes no parameters). @internal */
export function rawText(query: RawBuilder<unknown>): string {
  return query.compile(compileOnly).sql;
}

/** Compile a raw statement (which may embed queries of a schema's builder) once. @internal */
export function compileRaw(query: RawBuilder<unknown>): Statement {
  const { sql: text, parameters } = query.compile(compileOnly);
  return new Statement(text, parameters);
}
