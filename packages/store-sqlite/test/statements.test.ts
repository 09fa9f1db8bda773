/**
 * Every statement the pool prepares, as SQLite receives it: test/statements.sql is the committed dump,
 * so a change to any statement (or to a fragment several share) shows in review as a diff of SQL, as
 * test/schema.sql does for the schema. Each statement is headed `-- <module>.<name>` (a src/sql module)
 * and its parameters in order: `:name` for a value bound at run time, the constant otherwise.
 *
 * After a deliberate change, rewrite the dump and review its diff:
 *   npx vitest run test/statements.test.ts -u      (inside packages/store-sqlite)
 */
import { readdirSync } from 'node:fs';
import { type TaskFilter, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { type CompiledShape, paramName } from '../src/query-builder.js';
import { selectAfter, selectFiltered } from '../src/sql/list.js';
import { usePools } from './helpers.js';

const pools = usePools();
const SQL_DIR = new URL('../src/sql/', import.meta.url);

function isCompiled(value: unknown): value is CompiledShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CompiledShape).sql === 'string' &&
    Array.isArray((value as CompiledShape).parameters)
  );
}

/** Every statement each src/sql module exports, named `<module>.<export>`, modules and exports sorted. */
async function moduleStatements(): Promise<[name: string, shape: CompiledShape][]> {
  const files = readdirSync(SQL_DIR)
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const statements: [string, CompiledShape][] = [];
  for (const file of files) {
    const module = (await import(new URL(file, SQL_DIR).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module).sort(([a], [b]) => a.localeCompare(b))) {
      if (isCompiled(value)) statements.push([`${file.replace(/\.ts$/, '')}.${name}`, value]);
    }
  }
  return statements;
}

/**
 * Every filter shape `getTasks` prepares a statement for: no status, pending, held (claimed and
 * in-progress share one statement) and any other status, with or without each of agent, priority, limit
 * and offset. The keyset pages ignore limit and offset (they always bind a limit).
 */
function filterShapes(paging: boolean): [label: string, filter: TaskFilter][] {
  const shapes: [string, TaskFilter][] = [];
  for (const status of [undefined, TaskStatus.PENDING, TaskStatus.CLAIMED, TaskStatus.COMPLETED])
    for (const assignedAgent of [undefined, 'agent'])
      for (const priority of [undefined, 1] as const)
        for (const limit of paging ? [undefined, 10] : [undefined])
          for (const offset of paging ? [undefined, 5] : [undefined]) {
            const filter: TaskFilter = { status, assignedAgent, priority, limit, offset };
            const fields = Object.entries(filter).flatMap(([key, value]) =>
              value === undefined ? [] : [key === 'status' ? `status ${value}` : key],
            );
            shapes.push([fields.join(', '), filter]);
          }
  return shapes;
}

function listStatements(): [string, CompiledShape][] {
  return [
    ...filterShapes(true).map(([label, filter]): [string, CompiledShape] => [
      `list.selectFiltered(${label})`,
      selectFiltered(filter),
    ]),
    ...(['same-priority', 'lower-priority'] as const).flatMap((part) =>
      filterShapes(false).map(([label, filter]): [string, CompiledShape] => [
        `list.selectAfter(${part}${label ? `, ${label}` : ''})`,
        selectAfter(filter, part),
      ]),
    ),
  ];
}

function parameterList(shape: CompiledShape): string {
  return shape.parameters
    .map((value) => {
      const name = paramName(value);
      return name === undefined ? JSON.stringify(value) : `:${name}`;
    })
    .join(', ');
}

function dump(statements: [string, CompiledShape][]): string {
  return `${statements
    .map(([name, shape]) => `-- ${name}\n-- parameters: ${parameterList(shape) || 'none'}\n${shape.sql};\n`)
    .join('\n')}`;
}

describe('the compiled statements', () => {
  it('are the committed dump', async () => {
    const text = dump([...(await moduleStatements()), ...listStatements()]);
    await expect(
      text,
      'a compiled statement changed: review the diff, then rewrite test/statements.sql with `npx vitest run test/statements.test.ts -u`',
    ).toMatchFileSnapshot('./statements.sql');
  });

  it('include every statement a pool prepares, every getTasks shape among them', async () => {
    const pool = pools.memory();
    const cursor = pool.createTask({ title: 'cursor', description: 'd' });
    let shapes = 0;
    for (const [, filter] of filterShapes(true)) {
      pool.getTasks(filter);
      shapes += 1;
      // A keyset page prepares its two statements for each shape without offset.
      if (filter.offset === undefined) {
        pool.getTasks({ ...filter, after: cursor.id });
        shapes += 2;
      }
    }
    // The driver's private statements: the pool's storage lives in its driver.
    const { statements, filterStatements } = (pool as unknown as { driver: unknown }).driver as {
      statements: Record<string, { source: string }>;
      filterStatements: Map<string, { source: string }>;
    };
    const prepared = [...Object.values(statements), ...filterStatements.values()].map((s) => s.source);
    expect(filterStatements.size).toBe(shapes);
    const dumped = new Set([...(await moduleStatements()), ...listStatements()].map(([, shape]) => shape.sql));
    for (const source of prepared) expect(dumped, 'a prepared statement missing from the dump').toContain(source);
  });
});
