import type { TextPart } from '@omc/core';
import { type RawBuilder, sql } from 'kysely';
import { TEXT_FIELD_COLUMN } from './columns.js';
import type { SqlDialect } from './dialect.js';

/** What a text's slots and conditions stand for in one statement. */
export interface TextSql {
  slots?: Partial<Record<'dependency' | 'ending', RawBuilder<unknown>>>;
  conditions?: Partial<Record<'timedOut', RawBuilder<boolean>>>;
}

/**
 * A reason text (core's data, which core renders too) as one SQL text expression over the row: literals
 * and columns joined with `||`, so a statement writes exactly the words core would.
 *
 * ### Examples
 * ```ts
 * import { EXPIRY_REASON } from '@omc/core';
 * const reason = reasonTextSql(dialect, EXPIRY_REASON, { conditions: { timedOut: sql`timeout_ms is not null` } });
 * ```
 */
export function reasonTextSql(dialect: SqlDialect, parts: readonly TextPart[], values: TextSql): RawBuilder<string> {
  const pieces = parts.map((part): RawBuilder<unknown> => {
    if (typeof part === 'string') return sql.lit(part);
    if ('field' in part) {
      const column = dialect.text(TEXT_FIELD_COLUMN[part.field]);
      return part.missing === undefined ? column : sql`coalesce(${column}, ${sql.lit(part.missing)})`;
    }
    if ('slot' in part) return given(values.slots?.[part.slot], part.slot);
    const condition = given(values.conditions?.[part.when], part.when);
    return sql`case when ${condition} then ${reasonTextSql(dialect, part.yes, values)} else ${reasonTextSql(dialect, part.no, values)} end`;
  });
  return sql<string>`(${sql.join(pieces, sql` || `)})`;
}

function given<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`reasonTextSql: no SQL given for "${name}"`);
  return value;
}
