import type { TextPart } from '@omc/core';
import { type RawBuilder, sql } from 'kysely';

/** The column each text field reads. */
const COLUMN = {
  attempts: 'attempts',
  maxAttempts: 'max_attempts',
  assignedAgent: 'assigned_agent',
  timeoutMs: 'timeout_ms',
} as const;

/** The SQL a text's slots and conditions stand for in one statement. */
export interface TextSql {
  slots?: Partial<Record<'dependency' | 'ending', RawBuilder<unknown>>>;
  conditions?: Partial<Record<'timedOut', RawBuilder<boolean>>>;
}

/**
 * A reason text (core's data, the same core renders) as one SQL string expression over the row:
 * literals and columns joined with `||`, so the statement writes exactly the words core would.
 * @internal
 */
export function sqlText(parts: readonly TextPart[], values: TextSql): RawBuilder<string> {
  const pieces = parts.map((part): RawBuilder<unknown> => {
    if (typeof part === 'string') return sql.lit(part);
    if ('field' in part) {
      const column = sql.raw(COLUMN[part.field]);
      return part.missing === undefined ? column : sql`coalesce(${column}, ${sql.lit(part.missing)})`;
    }
    if ('slot' in part) return required(values.slots?.[part.slot], part.slot);
    const condition = required(values.conditions?.[part.when], part.when);
    return sql`case when ${condition} then ${sqlText(part.yes, values)} else ${sqlText(part.no, values)} end`;
  });
  return sql<string>`${sql.join(pieces, sql` || `)}`;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`sqlText: no SQL given for "${name}"`);
  return value;
}
