import {
  type CreateTaskInput,
  InvalidInputError,
  type TaskFilter,
  TaskPriority,
  TaskStatus,
  type UpdateTaskInput,
} from '@omc/core';
import { describe, expect, it } from 'vitest';
import { createIn, expectRefusedInput, mustGet, type StoreContext, taskInput, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

/** A case of bad input: a name for the test title, and a builder so each test gets fresh objects. */
type Case<T> = readonly [name: string, build: () => T];

/** Metadata that refers to itself. */
function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = { parent: value };
  return value;
}

/** Bad create inputs, with the `field` the error must name. */
const BAD_CREATE_INPUTS: readonly (readonly [name: string, build: () => unknown, field: string])[] = [
  ['an empty title', () => taskInput(1, { title: '' }), 'title'],
  ['a whitespace-only title', () => taskInput(1, { title: ' \n\t ' }), 'title'],
  ['a numeric title', () => ({ title: 42, description: 'd' }), 'title'],
  ['a missing title', () => ({ description: 'd' }), 'title'],
  ['an empty description', () => taskInput(1, { description: '' }), 'description'],
  ['a whitespace-only description', () => taskInput(1, { description: '   ' }), 'description'],
  ['a null description', () => ({ title: 't', description: null }), 'description'],
  ['priority 1.5', () => ({ ...taskInput(1), priority: 1.5 }), 'priority'],
  ['priority -1', () => ({ ...taskInput(1), priority: -1 }), 'priority'],
  ['priority 4', () => ({ ...taskInput(1), priority: 4 }), 'priority'],
  ["priority '2'", () => ({ ...taskInput(1), priority: '2' }), 'priority'],
  ['priority NaN', () => ({ ...taskInput(1), priority: Number.NaN }), 'priority'],
  ['priority null', () => ({ ...taskInput(1), priority: null }), 'priority'],
  ['metadata with a function', () => taskInput(1, { metadata: { run: () => 1 } }), 'metadata'],
  ['metadata with a deep function', () => taskInput(1, { metadata: { a: [{ b: () => 1 }] } }), 'metadata'],
  ['metadata with a BigInt', () => taskInput(1, { metadata: { big: 10n } }), 'metadata'],
  ['metadata with a symbol', () => taskInput(1, { metadata: { s: Symbol('x') } }), 'metadata'],
  ['metadata with a cycle', () => taskInput(1, { metadata: cyclic() }), 'metadata'],
  ['metadata with NaN', () => taskInput(1, { metadata: { n: Number.NaN } }), 'metadata'],
  ['metadata with Infinity', () => taskInput(1, { metadata: { n: [Number.POSITIVE_INFINITY] } }), 'metadata'],
  ['an array as metadata', () => ({ ...taskInput(1), metadata: [1, 2] }), 'metadata'],
  ['null as metadata', () => ({ ...taskInput(1), metadata: null }), 'metadata'],
  ['a string as metadata', () => ({ ...taskInput(1), metadata: '{"a":1}' }), 'metadata'],
  ['maxAttempts 0', () => taskInput(1, { maxAttempts: 0 }), 'maxAttempts'],
  ['maxAttempts -1', () => taskInput(1, { maxAttempts: -1 }), 'maxAttempts'],
  ['maxAttempts 2.5', () => taskInput(1, { maxAttempts: 2.5 }), 'maxAttempts'],
  ["maxAttempts '3'", () => ({ ...taskInput(1), maxAttempts: '3' }), 'maxAttempts'],
  ['runAt -1', () => taskInput(1, { runAt: -1 }), 'runAt'],
  ['runAt 1.5', () => taskInput(1, { runAt: 1.5 }), 'runAt'],
  ['runAt NaN', () => taskInput(1, { runAt: Number.NaN }), 'runAt'],
  ['a Date as runAt', () => ({ ...taskInput(1), runAt: new Date(0) }), 'runAt'],
  ['leaseMs 0', () => taskInput(1, { leaseMs: 0 }), 'leaseMs'],
  ['leaseMs -1000', () => taskInput(1, { leaseMs: -1000 }), 'leaseMs'],
  ['leaseMs Infinity', () => taskInput(1, { leaseMs: Number.POSITIVE_INFINITY }), 'leaseMs'],
  ['timeoutMs 0', () => taskInput(1, { timeoutMs: 0 }), 'timeoutMs'],
  ['timeoutMs 1.5', () => taskInput(1, { timeoutMs: 1.5 }), 'timeoutMs'],
  ["timeoutMs '60000'", () => ({ ...taskInput(1), timeoutMs: '60000' }), 'timeoutMs'],
  ['an empty idempotencyKey', () => taskInput(1, { idempotencyKey: '' }), 'idempotencyKey'],
  ['a blank idempotencyKey', () => taskInput(1, { idempotencyKey: '   ' }), 'idempotencyKey'],
  ['an idempotencyKey of 256 characters', () => taskInput(1, { idempotencyKey: 'k'.repeat(256) }), 'idempotencyKey'],
  ['a numeric idempotencyKey', () => ({ ...taskInput(1), idempotencyKey: 42 }), 'idempotencyKey'],
  ['null instead of an input', () => null, 'input'],
  ['a string instead of an input', () => 'Task 1', 'input'],
];

const BAD_FILTERS: readonly Case<unknown>[] = [
  ["status 'done'", () => ({ status: 'done' })],
  ["status 'PENDING' (the key, not the value)", () => ({ status: 'PENDING' })],
  ['priority 5', () => ({ priority: 5 })],
  ['priority -1', () => ({ priority: -1 })],
  ["priority '1'", () => ({ priority: '1' })],
  ['priority 0.5', () => ({ priority: 0.5 })],
  ['an empty assignedAgent', () => ({ assignedAgent: '' })],
  ['limit 0', () => ({ limit: 0 })],
  ['limit -1', () => ({ limit: -1 })],
  ['limit 2.5', () => ({ limit: 2.5 })],
  ["limit '10'", () => ({ limit: '10' })],
  ['limit NaN', () => ({ limit: Number.NaN })],
  ['offset -1', () => ({ offset: -1 })],
  ['offset 0.5', () => ({ offset: 0.5 })],
  ["offset '0'", () => ({ offset: '0' })],
];

const BAD_UPDATES: readonly Case<unknown>[] = [
  ["status 'done'", () => ({ status: 'done' })],
  ['status 3', () => ({ status: 3 })],
  ['an empty assignedAgent', () => ({ assignedAgent: '  ' })],
  ['a numeric result', () => ({ result: 42 })],
  ['an object error', () => ({ error: { message: 'x' } })],
  ['metadata with a function', () => ({ metadata: { f: () => 1 } })],
  ['metadata with a cycle', () => ({ metadata: cyclic() })],
  ['an array as metadata', () => ({ metadata: ['a'] })],
  ['a valid status with invalid metadata', () => ({ status: TaskStatus.CANCELLED, metadata: { n: 1n } })],
  ['null instead of an update', () => null],
];

/** Call createTask with input the types would reject, as JavaScript callers can. */
function createRaw(ctx: StoreContext, input: unknown) {
  return ctx.store.createTask(input as CreateTaskInput);
}

/** Metadata whose JSON is exactly `bytes` UTF-8 bytes long: `{"p":"…"}` is 8 bytes plus the padding. */
function metadataOfBytes(bytes: number, pad = 'x'): Record<string, unknown> {
  const padBytes = new TextEncoder().encode(pad).length;
  return { p: pad.repeat(Math.floor((bytes - 8) / padBytes)) };
}

/** @internal Bad input is refused with `OMC_INVALID_INPUT` and writes nothing. */
export function describeValidation(target: ConformanceTarget): void {
  describe(`${target.name}: input validation`, () => {
    const ctx = useStore(target);

    describe('createTask refuses', () => {
      for (const [name, build, field] of BAD_CREATE_INPUTS) {
        it(name, async () => {
          await ctx.store.createTask(taskInput('existing'));
          const error = await expectRefusedInput(ctx, () => createRaw(ctx, build()));
          expect(InvalidInputError.isInstance(error) && error.field).toBe(field);
        });
      }
    });

    describe('getTasks refuses a filter with', () => {
      for (const [name, build] of BAD_FILTERS) {
        it(name, async () => {
          await ctx.store.createTask(taskInput('existing'));
          await expectRefusedInput(ctx, () => ctx.store.getTasks(build() as TaskFilter));
        });
      }
    });

    describe('updateTask refuses, leaving the task unchanged,', () => {
      for (const [name, build] of BAD_UPDATES) {
        it(name, async () => {
          const task = await createIn(ctx, TaskStatus.IN_PROGRESS, taskInput(1, { metadata: { keep: 1 } }));
          ctx.clock.advance(1);
          await expectRefusedInput(ctx, () => ctx.store.updateTask(task.id, build() as UpdateTaskInput));
          expect(await mustGet(ctx.store, task.id)).toEqual(task);
        });
      }
    });

    it('claimTask refuses an empty, blank or non-string agent name and claims nothing', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      for (const agent of ['', '   ', 7, undefined]) {
        await expectRefusedInput(ctx, () => ctx.store.claimTask(agent as string));
      }
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });

    it('getTask, updateTask and deleteTask refuse an empty id', async () => {
      await ctx.store.createTask(taskInput(1));
      await expectRefusedInput(ctx, () => ctx.store.getTask(''));
      await expectRefusedInput(ctx, () => ctx.store.updateTask('', { status: TaskStatus.CANCELLED }));
      await expectRefusedInput(ctx, () => ctx.store.deleteTask(''));
    });

    it('accepts the boundary values: every priority, a one-character title, metadata with null values', async () => {
      for (const priority of [TaskPriority.LOW, TaskPriority.CRITICAL]) {
        const task = await ctx.store.createTask({ title: 'x', description: 'y', priority, metadata: { n: null } });
        expect(await mustGet(ctx.store, task.id)).toMatchObject({ title: 'x', priority, metadata: { n: null } });
      }
    });

    it('accepts the smallest lease settings and a key of 255 characters', async () => {
      const key = 'k'.repeat(255);
      const input = taskInput(1, { maxAttempts: 1, runAt: 0, leaseMs: 1, timeoutMs: 1, idempotencyKey: key });
      const task = await ctx.store.createTask(input);
      expect(await mustGet(ctx.store, task.id)).toMatchObject({
        maxAttempts: 1,
        leaseMs: 1,
        timeoutMs: 1,
        idempotencyKey: key,
      });
    });

    it('cancelTask, retryTask and getTaskHistory refuse an empty id', async () => {
      await ctx.store.createTask(taskInput(1));
      await expectRefusedInput(ctx, () => ctx.store.cancelTask(''));
      await expectRefusedInput(ctx, () => ctx.store.retryTask(''));
      await expectRefusedInput(ctx, () => ctx.store.getTaskHistory(''));
    });

    it('cancelTask refuses a non-string reason and retryTask a bad runAt, writing nothing', async () => {
      const pending = await ctx.store.createTask(taskInput(1));
      await expectRefusedInput(ctx, () => ctx.store.cancelTask(pending.id, { reason: 42 as unknown as string }));
      expect(await mustGet(ctx.store, pending.id)).toEqual(pending);
      const cancelled = await createIn(ctx, TaskStatus.CANCELLED);
      for (const runAt of [-1, 1.5, Number.NaN]) {
        await expectRefusedInput(ctx, () => ctx.store.retryTask(cancelled.id, { runAt }));
      }
      expect(await mustGet(ctx.store, cancelled.id)).toEqual(cancelled);
      expect(await ctx.store.getTaskHistory(pending.id)).toEqual([]);
    });
  });

  describe(`${target.name}: metadata size limit`, () => {
    const LIMIT = 1024;
    const ctx = useStore(target, { maxMetadataBytes: LIMIT });

    it('accepts metadata of exactly the limit and refuses one byte more', async () => {
      const exact = metadataOfBytes(LIMIT);
      expect(JSON.stringify(exact)).toHaveLength(LIMIT);
      const task = await ctx.store.createTask(taskInput(1, { metadata: exact }));
      expect((await mustGet(ctx.store, task.id)).metadata).toEqual(exact);
      await expectRefusedInput(ctx, () => ctx.store.createTask(taskInput(2, { metadata: metadataOfBytes(LIMIT + 1) })));
    });

    it('counts UTF-8 bytes, not characters', async () => {
      // 600 'é' are 608 characters of JSON but 1208 bytes: over the limit.
      const metadata = { p: 'é'.repeat(600) };
      await expectRefusedInput(ctx, () => ctx.store.createTask(taskInput(1, { metadata })));
    });

    it('applies the limit to updates, leaving the task unchanged', async () => {
      const task = await ctx.store.createTask(taskInput(1, { metadata: { small: true } }));
      await expectRefusedInput(ctx, () => ctx.store.updateTask(task.id, { metadata: metadataOfBytes(4 * LIMIT) }));
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });
  });
}
