/**
 * Every statement the driver runs, as PostgreSQL receives it (for the default schema `omc`), and every
 * migration's SQL: test/statements.sql and test/schema.sql are committed dumps, so a change to any
 * statement, fragment or migration shows in review as a diff of SQL. Each statement is headed with its
 * name and its parameters in order (`$name` bound at run time, the constant otherwise).
 *
 * After a deliberate change, rewrite the dumps and review their diff:
 *   npx vitest run test/statements.test.ts -u      (inside packages/store-postgres)
 */
import { type TaskFilter, TaskStatus } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/migrations.js';
import { builderFor, type Statement } from '../src/query-builder.js';
import { selectTasks } from '../src/sql/list.js';
import { statementsFor } from '../src/sql/statements.js';

function dump(entries: [name: string, statement: Statement][]): string {
  return entries
    .map(
      ([name, statement]) =>
        `-- ${name}\n-- parameters: ${statement.describeParameters().join(', ')}\n${statement.text};\n`,
    )
    .join('\n');
}

/** The listing shapes the suite's filters use most, as examples of the statement built per shape. */
const LISTINGS: [string, TaskFilter][] = [
  ['all', {}],
  ['pending, paged', { status: TaskStatus.PENDING, limit: 10, offset: 10 }],
  ['by agent and priority', { assignedAgent: 'a', priority: 2 }],
  ['after a cursor', { status: TaskStatus.IN_PROGRESS, limit: 10, after: 'x' }],
];

describe('the committed SQL dumps', () => {
  it('test/statements.sql holds every statement as compiled', async () => {
    const statements = Object.entries(statementsFor('omc')).sort(([a], [b]) => a.localeCompare(b));
    const listings = LISTINGS.map(([name, filter]): [string, Statement] => [
      `listTasks (${name})`,
      selectTasks(builderFor('omc'), filter),
    ]);
    await expect(dump([...statements, ...listings])).toMatchFileSnapshot('statements.sql');
  });

  it('test/schema.sql holds every migration as applied', async () => {
    const text = MIGRATIONS.map(
      (migration) =>
        `-- migration ${migration.version}: ${migration.name}\n${migration.statements('omc').join(';\n\n')};\n`,
    ).join('\n');
    await expect(text).toMatchFileSnapshot('schema.sql');
  });
});
