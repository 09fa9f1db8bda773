import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { TASK_STORE_SPECIFICATION_VERSION, type TaskStore, type TaskStoreV3 } from '../src/index.js';
import { AsyncMemoryTaskStore, MemoryTaskStore } from '../src/testing.js';

const SOURCE = fileURLToPath(new URL('../src/contracts/task-store-v3.ts', import.meta.url));
const FROZEN = fileURLToPath(new URL('./task-store-v3.frozen.txt', import.meta.url));
const FROZEN_MESSAGE =
  'v3 is released and frozen: add TaskStoreV4 beside it instead (packages/core/README.md, "Versions of the contract")';

/**
 * The text of every declaration in a contract file, each with its JSDoc, in order: what a released
 * version freezes. Imports are left out (a moved module changes no meaning); line endings and trailing
 * spaces are normalised.
 */
function declarations(source: string): string {
  const file = ts.createSourceFile('contract.ts', source, ts.ScriptTarget.Latest, true);
  return file.statements
    .filter((statement) => !ts.isImportDeclaration(statement))
    .map((statement) => {
      const start = ts.getLeadingCommentRanges(source, statement.getFullStart())?.[0]?.pos ?? statement.getStart();
      return source.slice(start, statement.getEnd());
    })
    .join('\n\n')
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+$/gm, '');
}

const frozen = readFileSync(FROZEN, 'utf8').replace(/\r\n/g, '\n').trimEnd();

describe('TaskStoreV3: released and frozen', () => {
  it('declares today exactly what was released (its committed copy, test/task-store-v3.frozen.txt)', () => {
    expect(declarations(readFileSync(SOURCE, 'utf8')), FROZEN_MESSAGE).toBe(frozen);
  });

  it('is caught changing: a renamed parameter, an edited comment, a new method', () => {
    const source = readFileSync(SOURCE, 'utf8');
    const changes = [
      source.replace('claimTasks(agentName: string, limit: number', 'claimTasks(agentName: string, max: number'),
      source.replace('Delete every task. Destructive.', 'Delete every task.'),
      source.replace('  close(): MaybePromise<void>;\n}', '  close(): MaybePromise<void>;\n  ping(): void;\n}'),
    ];
    for (const changed of changes) {
      expect(changed).not.toBe(source);
      expect(declarations(changed)).not.toBe(frozen);
    }
  });

  it('is what TaskStore names today, at the version the package declares', () => {
    expectTypeOf<TaskStore>().toEqualTypeOf<TaskStoreV3>();
    expectTypeOf<TaskStoreV3['specificationVersion']>().toEqualTypeOf<'v3'>();
    expect(TASK_STORE_SPECIFICATION_VERSION).toBe('v3');
    expectTypeOf(new MemoryTaskStore()).toMatchTypeOf<TaskStoreV3>();
    expectTypeOf(new AsyncMemoryTaskStore()).toMatchTypeOf<TaskStoreV3>();
    expect(new MemoryTaskStore().specificationVersion).toBe('v3');
  });
});
