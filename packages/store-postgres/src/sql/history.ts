import { type RawBuilder, sql } from 'kysely';
import { type Builder, param } from '../query-builder.js';

/** One value of a history row: a column of the source (its name), or any SQL (a literal, a parameter). */
type HistoryValue = string | RawBuilder<unknown>;

/** The values of the history rows a statement writes, one row per row of its source. @internal */
export interface HistoryRowSql {
  taskId: HistoryValue;
  from: HistoryValue;
  to: HistoryValue;
  agent: HistoryValue;
  attempt: HistoryValue;
  at: HistoryValue;
  reason?: HistoryValue;
}

function valueSql(value: HistoryValue): RawBuilder<unknown> {
  return typeof value === 'string' ? sql.ref(value) : value;
}

/**
 * A data-modifying CTE's insert of history rows: one per row of the CTE `source` (a statement's
 * written rows), or one from parameters (`source` undefined), only `where` it holds. So every status
 * change records its history in the statement that makes it.
 * @internal
 */
export function insertHistory(
  b: Builder,
  source: string | undefined,
  row: HistoryRowSql,
  where: RawBuilder<boolean> = sql<boolean>`true`,
) {
  const values = [row.taskId, row.from, row.to, row.agent, row.attempt, row.at, row.reason ?? sql`null`].map(valueSql);
  const from = source === undefined ? sql`` : sql`from ${sql.table(source)}`;
  return b
    .insertInto('task_history')
    .columns(['task_id', 'from_status', 'to_status', 'agent', 'attempt', 'at', 'reason'])
    .expression(sql`select ${sql.join(values)} ${from} where ${where}`);
}

/**
 * A history row from the statement's parameters (`$historyFrom` null: none), for writes whose
 * transition the store planned. @internal
 */
export const PLANNED_HISTORY: HistoryRowSql = {
  taskId: param('id', 'text'),
  from: param('historyFrom', 'text'),
  to: param('historyTo', 'text'),
  agent: param('historyAgent', 'text'),
  attempt: param('historyAttempt', 'int'),
  at: param('historyAt', 'bigint'),
  reason: param('historyReason', 'text'),
};

/** Whether the planned write has a history row. @internal */
export const HAS_PLANNED_HISTORY = sql<boolean>`${param('historyFrom', 'text')} is not null`;
