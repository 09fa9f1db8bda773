import type { TextPart } from '@omc/core';
import { type RawBuilder, sql } from 'kysely';

const COLUMN = {
  attempts: 'attempts',
  maxAttempts: 'max_attempts',
  assignedAgent: 'assigned_agent',
  timeoutMs: 'timeout_ms',
} as const;

/** What a text's slots and conditions stand for in one statement. @internal */
export interface TextSql {
  slots?: Partial<Record<'dependency' | 'ending', RawBuilder<unknown>>>;
  conditions?: Partial<Record<'timedOut', RawBuilder<boolean>>>;
}

/**
 * A reason text (core's data, which core renders too) as one text expression over the row: literals
 * and columns (cast to text) joined with `||`, so a statement writes exactly core's words.
 * @internal
 */
export function textSql(parts: readonly TextPart[], values: TextSql): RawBuilder<string> {
  const pieces = parts.map((part): RawBuilder<unknown> => {
    if (typeof part === 'string') return sql.lit(part);
    if ('field' in part) {
      const column = sql`${sql.ref(COLUMN[part.field])}::text`;
      return part.missing === undefined ? column : sql`coalesce(${column}, ${sql.lit(part.missing)})`;
    }
    if ('slot' in part) return given(values.slots?.[part.slot], part.slot);
    const condition = given(values.conditions?.[part.when], part.when);
    return sql`case when ${condition} then ${textSql(part.yes, values)} else ${textSql(part.no, values)} end`;
  });
  return sql<string>`(${sql.join(pieces, sql` || `)})`;
}

function given<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`textSql: no SQL given for "${name}"`);
  return value;
}
