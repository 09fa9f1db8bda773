/**
 * createTasks sends a batch to SQLite as one JSON array (json_each), createTask as bound values. Both
 * paths must store exactly what was given, whatever the text holds.
 */
import type { ValidCreateInput } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { type CreateTaskInput, TaskPriority } from '../src/index.js';
import { paramName } from '../src/query-builder.js';
import {
  insertTask,
  insertTasksFromJson,
  NEW_TASK_COLUMNS,
  newTaskBindings,
  newTaskRow,
  TASK_VALUES,
} from '../src/sql/insert.js';
import { rawDb, usePools } from './helpers.js';

const pools = usePools();

const AWKWARD_TEXT = [
  'plain',
  'quotes " and \' and `',
  'back\\slash and \\u0041 written out',
  'line\nbreak\ttab\r\nCRLF',
  'emoji 🧵🚀 and CJK 任务 and RTL مهمة',
  'nul \u0000 inside',
  '123',
  '1e5',
  'null',
  '{"looks": "like json"}',
  ' leading and trailing spaces ',
];

function inputs(): CreateTaskInput[] {
  return AWKWARD_TEXT.map((text, i) => ({
    title: text,
    description: `${text} (description)`,
    priority: (i % 4) as TaskPriority,
    metadata: i % 3 === 0 ? undefined : { text, nested: { list: [text, i, null, true] } },
  }));
}

describe('createTasks and createTask store text exactly', () => {
  it('round-trips awkward text through the batch path and the single path alike', () => {
    const pool = pools.memory();
    const batch = pool.createTasks(inputs());
    const singles = inputs().map((input) => pool.createTask(input));
    for (const [i, input] of inputs().entries()) {
      for (const created of [batch[i], singles[i]]) {
        const stored = pool.getTask(created!.id);
        expect(stored).toEqual(created);
        expect(stored).toMatchObject({ title: input.title, description: input.description, priority: input.priority });
        expect(stored?.metadata).toEqual(input.metadata);
      }
    }
  });

  it("stores priorities as integers and metadata as JSON text, as the guide's columns say", () => {
    const pool = pools.memory();
    pool.createTasks([
      { title: 'a', description: 'b', priority: TaskPriority.LOW, metadata: { k: 1 } },
      { title: 'c', description: 'd' },
    ]);
    const rows = rawDb(pool)
      .prepare('SELECT typeof(priority) AS p, priority, typeof(metadata) AS m, metadata FROM tasks ORDER BY seq')
      .all();
    expect(rows).toEqual([
      { p: 'integer', priority: 0, m: 'text', metadata: '{"k":1}' },
      { p: 'integer', priority: 1, m: 'null', metadata: null },
    ]);
  });

  it('inserts a large batch in order, all or nothing', () => {
    const pool = pools.memory();
    const many = Array.from({ length: 5000 }, (_, i) => ({ title: `task ${i}`, description: 'd' }));
    const created = pool.createTasks(many);
    expect(pool.getStats().total).toBe(5000);
    expect(pool.getTasks({ limit: 3 }).map((t) => t.title)).toEqual(['task 0', 'task 1', 'task 2']);
    expect(created.map((t) => t.title)).toEqual(many.map((m) => m.title));
    expect(() =>
      pool.createTasks([
        { title: 'ok', description: 'd' },
        { title: '', description: 'd' },
      ]),
    ).toThrow();
    expect(pool.getStats().total).toBe(5000);
  });
});

describe('the plain insert and the batch insert', () => {
  /** The column list of an `insert into "tasks" (…)` statement. */
  function insertedColumns(statement: string): string[] {
    const list = /^insert into "tasks" \(([^)]*)\)/.exec(statement)?.[1];
    if (list === undefined) throw new Error(`not an insert into tasks: ${statement}`);
    return list.split(', ').map((column) => column.replace(/"/g, ''));
  }

  it('set the same columns, from one list, the JSON rows in step with the select', () => {
    const columns = NEW_TASK_COLUMNS.map((column) => column.column);
    expect(insertedColumns(insertTask.sql)).toEqual(columns);
    expect(insertedColumns(insertTasksFromJson.sql)).toEqual(columns);
    // The batch reads `value ->> i` for the i-th task value, in order, and nothing else from a row.
    const positions = [...insertTasksFromJson.sql.matchAll(/value ->> (\d+) as "(\w+)"/g)];
    expect(positions.map(([, index, column]) => [Number(index), column])).toEqual(
      TASK_VALUES.map((value, i) => [i, value.column]),
    );
    // A row of the batch's JSON array has one element per position, and the plain insert's bindings
    // name every parameter it binds.
    const pool = pools.memory();
    const task = pool.createTask({ title: 't', description: 'd' });
    const input = { metadataJson: undefined } as ValidCreateInput;
    expect(newTaskRow(task, input)).toHaveLength(positions.length);
    const bound = insertTask.parameters.map(paramName).filter((name) => name !== undefined);
    expect(Object.keys(newTaskBindings(task, input)).sort()).toEqual([...new Set(bound)].sort());
  });

  it('store the same row for the same input, every inserted field set', () => {
    const pool = pools.memory();
    const runAt = Date.now() + 60_000;
    const input = (): CreateTaskInput => ({
      title: 'title',
      description: 'description',
      priority: TaskPriority.HIGH,
      metadata: { kept: [1, 'two'] },
      maxAttempts: 7,
      runAt,
      leaseMs: 12_345,
      timeoutMs: 67_890,
      requires: ['gpu', 'linux'],
    });
    pool.createTasks([input(), input()]);
    pool.createTask(input());
    const rows = rawDb(pool)
      .prepare('select * from tasks order by seq')
      .all()
      .map((row) => ({
        ...(row as Record<string, unknown>),
        seq: undefined,
        id: undefined,
        created_at: 0,
        updated_at: 0,
      }));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(rows[2]);
    expect(rows[1]).toEqual(rows[2]);
    expect(rows[2]).toMatchObject({
      priority: TaskPriority.HIGH,
      max_attempts: 7,
      lease_ms: 12_345,
      timeout_ms: 67_890,
    });
  });
});
