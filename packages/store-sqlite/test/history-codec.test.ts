/**
 * The compact history lines: what SQL appends and what JS encodes are the same text, and every line
 * decodes back to the transition it records, whatever the agent name or reason holds.
 */
import { TaskStatus, type TaskTransition } from '@omc/core';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { decodeHistory, encodeHistoryLine, historyPlusLine } from '../src/history-codec.js';
import { builder } from '../src/query-builder.js';

const CREATED = Date.UTC(2026, 0, 1);
const AWKWARD = ['agent-1', 'a"quote', 'back\\slash', 'new\nline', 'tab\there', 'üñïçødé 🤖', '', '!"', '.5'];

function step(overrides: Partial<TaskTransition>): TaskTransition {
  return {
    taskId: 'task-1',
    from: TaskStatus.PENDING,
    to: TaskStatus.CLAIMED,
    agent: 'agent-1',
    attempt: 1,
    at: CREATED + 1234,
    reason: undefined,
    ...overrides,
  };
}

/** The line SQLite appends for these values, through the same builder the pool's statements use. */
function lineFromSql(values: {
  from: string;
  to: string;
  attempt: number;
  at: number;
  agent?: string;
  reason?: string;
}) {
  const db = new Database(':memory:');
  db.exec('create table tasks (history text, created_at integer)');
  db.prepare('insert into tasks values (null, ?)').run(CREATED);
  const expression = historyPlusLine({
    from: sql`${values.from}`,
    to: sql`${values.to}`,
    attempt: sql`${values.attempt}`,
    at: sql`${values.at}`,
    agent: values.agent === undefined ? undefined : sql`${values.agent}`,
    reason: values.reason === undefined ? undefined : sql`${values.reason}`,
  });
  const { sql: text, parameters } = builder
    .selectFrom(sql.raw('tasks').as('t') as never)
    .select(expression.as('line'))
    .compile();
  const row = db.prepare(text).get(...parameters) as { line: string };
  db.close();
  return row.line;
}

describe('history lines', () => {
  it('are the same text from SQL and from JS, and decode back, for awkward agents and reasons', () => {
    for (const agent of AWKWARD) {
      for (const reason of [undefined, ...AWKWARD]) {
        const transition = step({ agent, reason, from: TaskStatus.IN_PROGRESS, to: TaskStatus.FAILED, attempt: 12 });
        const fromJs = encodeHistoryLine(transition, CREATED);
        const fromSql = lineFromSql({ ...transition, agent, reason });
        expect(fromSql, JSON.stringify({ agent, reason })).toBe(fromJs);
        expect(fromJs.endsWith('\n')).toBe(true);
        expect(fromJs.slice(0, -1)).not.toContain('\n');
        expect(decodeHistory(fromJs, 'task-1', CREATED)).toEqual([transition]);
      }
    }
  });

  it('gives a holder’s unnamed lines to the agent of the last claim, and no agent to lines from a waiting state', () => {
    const lines = [
      encodeHistoryLine(step({}), CREATED),
      // The statements on the holder's path do not repeat the agent.
      encodeHistoryLine(step({ from: TaskStatus.CLAIMED, to: TaskStatus.IN_PROGRESS, agent: undefined }), CREATED),
      encodeHistoryLine(
        step({ from: TaskStatus.IN_PROGRESS, to: TaskStatus.PENDING, agent: undefined, reason: 'lease expired' }),
        CREATED,
      ),
      encodeHistoryLine(step({ from: TaskStatus.PENDING, to: TaskStatus.CANCELLED, agent: undefined }), CREATED),
    ].join('');
    expect(decodeHistory(lines, 'task-1', CREATED).map((s) => s.agent)).toEqual([
      'agent-1',
      'agent-1',
      'agent-1',
      undefined,
    ]);
  });

  it('keeps times before creation (a clock set back) and large attempts', () => {
    const transition = step({ at: CREATED - 5_000, attempt: 10_000 });
    expect(decodeHistory(encodeHistoryLine(transition, CREATED), 'task-1', CREATED)).toEqual([transition]);
  });

  it('is compact: a claim and a completion add under 40 bytes to the row (JSON arrays took 92)', () => {
    const claim = encodeHistoryLine(step({ agent: 'agent-12' }), CREATED);
    const done = encodeHistoryLine(
      step({ from: TaskStatus.CLAIMED, to: TaskStatus.COMPLETED, agent: undefined, at: CREATED + 45_000 }),
      CREATED,
    );
    expect(Buffer.byteLength(claim + done)).toBeLessThan(40);
  });

  it('refuses a line it cannot read, naming the task', () => {
    expect(() => decodeHistory('garbage\n', 'task-9', CREATED)).toThrow(/task-9.*garbage/);
  });
});
