/**
 * createTasks sends a batch to SQLite as one JSON array (json_each), createTask as bound values. Both
 * paths must store exactly what was given, whatever the text holds.
 */
import { describe, expect, it } from 'vitest';
import { type CreateTaskInput, TaskPriority } from '../src/index.js';
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
