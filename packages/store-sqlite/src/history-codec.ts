import { TASK_STATUSES, TaskStatus, type TaskTransition } from '@omc/core';
import { type RawBuilder, sql } from 'kysely';

/**
 * A task's history is kept in its row (`tasks.history`), one line per status change, appended by the
 * statement that makes the change. Lines are compact because the row grows with every line: with one
 * JSON array per line (about 46 bytes), the growth alone split pages often enough to cost 5 µs of a
 * claim→complete cycle, measured; these lines are about a third of that. A line is
 *
 *   <from><to><attempt>.<at − created_at>["agent"][!"reason"]\n
 *
 * where a status is its first two letters (`pe`, `cl`, `in`, `co`, `fa`, `ca`), and the agent and the
 * reason are JSON strings (so neither can contain a raw newline). A line from CLAIMED or IN_PROGRESS
 * without an agent belongs to the holder, the agent of the latest line that names one: the statements on
 * a holder's path name the agent only when they claim. When `updateTask` gives a held task another
 * `assignedAgent` without changing its status, a holder line `@"agent"` (not a transition) records the new
 * holder, so the holder's later lines name it as the other stores do.
 * @internal
 */
export const HISTORY_FORMAT = 'lines: <from2><to2><attempt>.<delta>["agent"][!"reason"] | @"agent"';

const CODE_LENGTH = 2;

/** Each status by its two-letter code. */
const STATUS_BY_CODE = new Map<string, TaskStatus>(
  TASK_STATUSES.map((status) => [status.slice(0, CODE_LENGTH), status]),
);
if (STATUS_BY_CODE.size !== TASK_STATUSES.length) {
  throw new Error('omc internal error: two statuses share their first two letters');
}

type SqlValue = RawBuilder<unknown> | ReturnType<typeof sql.ref>;

/** The code of a status, for a literal status or a status column. */
function codeOf(status: TaskStatus | SqlValue): SqlValue {
  return typeof status === 'string' ? sql.lit(status.slice(0, CODE_LENGTH)) : sql`substr(${status}, 1, 2)`;
}

/** `'"text"'` (JSON) for a non-null value, `''` for null, with `prefix` before a present value. */
function optionalJson(value: SqlValue | undefined, prefix = ''): SqlValue {
  if (value === undefined) return sql`''`;
  return sql`case when ${value} is null then '' else ${sql.lit(prefix)} || json_quote(${value}) end`;
}

/**
 * `history` plus one line, in SQL. Column references read the row before the update, so `created_at`
 * is the task's creation time. Bound numbers arrive as REAL, hence the cast. @internal
 */
export function historyPlusLine(line: {
  from: TaskStatus | SqlValue;
  to: TaskStatus | SqlValue;
  attempt: SqlValue;
  at: SqlValue;
  agent?: SqlValue;
  reason?: SqlValue;
}): RawBuilder<string> {
  return sql<string>`coalesce(history, '') || ${codeOf(line.from)} || ${codeOf(line.to)} || cast(${line.attempt} as integer) || '.' || cast(${line.at} - created_at as integer) || ${optionalJson(line.agent)} || ${optionalJson(line.reason, '!')} || char(10)`;
}

/** The line for a transition, in JS: what {@link historyPlusLine} appends for the same values. @internal */
export function encodeHistoryLine(step: TaskTransition, createdAt: number): string {
  const agent = step.agent === undefined ? '' : JSON.stringify(step.agent);
  const reason = step.reason === undefined ? '' : `!${JSON.stringify(step.reason)}`;
  const from = step.from.slice(0, CODE_LENGTH);
  const to = step.to.slice(0, CODE_LENGTH);
  return `${from}${to}${step.attempt}.${step.at - createdAt}${agent}${reason}\n`;
}

/** The first character of a holder line. @internal */
export const HOLDER_PREFIX = '@';

function readHolder(line: string, taskId: string): string {
  try {
    const agent: unknown = JSON.parse(line.slice(HOLDER_PREFIX.length));
    if (typeof agent === 'string') return agent;
  } catch {
    // reported below
  }
  throw new Error(`Task ${taskId} has a history line omc cannot read: ${JSON.stringify(line)}`);
}

const LINE = /^([a-z_]{2})([a-z_]{2})(\d+)\.(-?\d+)("(?:[^"\\]|\\.)*")?(?:!("(?:[^"\\]|\\.)*"))?$/;

/** Every transition in a history column, oldest first. @internal */
export function decodeHistory(text: string | null, taskId: string, createdAt: number): TaskTransition[] {
  const steps: TaskTransition[] = [];
  let holder: string | undefined;
  for (const line of (text ?? '').split('\n')) {
    if (line === '') continue;
    if (line.startsWith(HOLDER_PREFIX)) {
      holder = readHolder(line, taskId);
      continue;
    }
    const match = LINE.exec(line);
    const from = match && STATUS_BY_CODE.get(match[1] as string);
    const to = match && STATUS_BY_CODE.get(match[2] as string);
    if (!match || !from || !to) {
      throw new Error(`Task ${taskId} has a history line omc cannot read: ${JSON.stringify(line)}`);
    }
    const agent = match[5] === undefined ? undefined : (JSON.parse(match[5]) as string);
    if (agent !== undefined) holder = agent;
    steps.push({
      taskId,
      from,
      to,
      agent: agent ?? (from === TaskStatus.CLAIMED || from === TaskStatus.IN_PROGRESS ? holder : undefined),
      attempt: Number(match[3]),
      at: createdAt + Number(match[4]),
      reason: match[6] === undefined ? undefined : (JSON.parse(match[6]) as string),
    });
  }
  return steps;
}
