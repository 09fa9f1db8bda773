import {
  type CreateTaskInput,
  InvalidInputError,
  MAX_METADATA_DEPTH,
  type TaskCompletion,
  type TaskFilter,
  type TaskLease,
  TaskPriority,
  TaskStatus,
  type UpdateTaskInput,
} from '@omc/core';
import { describe, expect, it } from 'vitest';
import { createIn, expectRefusedInput, mustClaim, mustGet, type StoreContext, taskInput, useStore } from './harness.js';
import { itNeeding } from './skips.js';
import type { ConformanceTarget } from './target.js';

/** A case of bad input: a name for the test title, and a builder so each test gets fresh objects. */
type Case<T> = readonly [name: string, build: () => T];

/** Metadata that refers to itself. */
function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = { parent: value };
  return value;
}

/** Text that is not well-formed UTF-16: SQLite stored it as U+FFFD, so it did not read back equal. */
const LONE = 'a\uD800b';

/** A sparse array of `length` with only the given indexes set (a literal `[, 1]` is what the linter forbids). */
function sparse(length: number, items: Record<number, unknown>): unknown[] {
  const array: unknown[] = new Array(length);
  for (const [index, item] of Object.entries(items)) array[Number(index)] = item;
  return array;
}

/** A Proxy that throws on every use, even `Array.isArray` (which threw a raw TypeError from the stores). */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An object whose property `key` is a getter that throws. */
function throwingGetter(key: string, base: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get(): never {
      throw new Error(`${key} getter boom`);
    },
  });
}

/** Metadata with a getter that answers 1 once, then NaN: it passed the check and was stored as null. */
function flippingGetter(): Record<string, unknown> {
  let reads = 0;
  return Object.defineProperty({}, 'n', { enumerable: true, get: () => (reads++ === 0 ? 1 : Number.NaN) });
}

/** Metadata nested `depth` objects deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < depth; i++) value = { next: value };
  return value;
}

/** @internal Bad create inputs, with the `field` the error must name. */
export const BAD_CREATE_INPUTS: readonly (readonly [name: string, build: () => unknown, field: string])[] = [
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
  // A hole reads back as null, and made the store throw `TypeError: .for is not iterable`.
  ['metadata with an array hole', () => taskInput(1, { metadata: { a: sparse(2, { 1: 1 }) } }), 'metadata'],
  ['metadata with undefined in an array', () => taskInput(1, { metadata: { a: [undefined] } }), 'metadata'],
  // Nested far deeper than any payload: a recursive check overflowed the stack (RangeError).
  ['metadata nested 3000 levels', () => taskInput(1, { metadata: nested(3000) }), 'metadata'],
  ['metadata with a Date', () => taskInput(1, { metadata: { at: new Date(0) } }), 'metadata'],
  ['metadata with a Map', () => taskInput(1, { metadata: { m: new Map([[1, 2]]) } }), 'metadata'],
  ['metadata with a Set', () => taskInput(1, { metadata: { s: new Set([1]) } }), 'metadata'],
  ['metadata with a class instance', () => taskInput(1, { metadata: { c: new (class Point {})() } }), 'metadata'],
  ['metadata with -Infinity', () => taskInput(1, { metadata: { n: Number.NEGATIVE_INFINITY } }), 'metadata'],
  [
    'metadata with an array with named properties',
    () => taskInput(1, { metadata: { a: Object.assign([1], { note: 'x' }) } }),
    'metadata',
  ],
  [
    'metadata with a getter that throws',
    () =>
      taskInput(1, {
        metadata: {
          get boom(): never {
            throw new Error('boom');
          },
        },
      }),
    'metadata',
  ],
  // JSON writes -0 as 0: it read back as something else.
  ['metadata with -0', () => taskInput(1, { metadata: { n: [1, -0] } }), 'metadata'],
  ['metadata with a symbol key', () => taskInput(1, { metadata: { [Symbol('k')]: 1 } }), 'metadata'],
  ['metadata with a prototype set by __proto__', () => taskInput(1, { metadata: { __proto__: { x: 1 } } }), 'metadata'],
  ['metadata with a lone surrogate in a value', () => taskInput(1, { metadata: { s: LONE } }), 'metadata'],
  ['metadata with a lone surrogate in a key', () => taskInput(1, { metadata: { [LONE]: 1 } }), 'metadata'],
  ['a title with a lone surrogate', () => taskInput(1, { title: LONE }), 'title'],
  ['a description with a lone surrogate', () => taskInput(1, { description: '\uDFFFend' }), 'description'],
  ['an idempotencyKey with a lone surrogate', () => taskInput(1, { idempotencyKey: LONE }), 'idempotencyKey'],
  ['requires with a lone surrogate', () => taskInput(1, { requires: [LONE] }), 'requires'],
  ['requires with a hole', () => ({ ...taskInput(1), requires: sparse(2, { 1: 'code' }) }), 'requires'],
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
  // Each of these threw a raw TypeError (or the getter's own error) from inside the store.
  [
    'metadata that is a revoked Proxy',
    () => taskInput(1, { metadata: revoked() as Record<string, unknown> }),
    'metadata',
  ],
  ['requires that is a revoked Proxy', () => ({ ...taskInput(1), requires: revoked() }), 'requires'],
  ['dependsOn that is a revoked Proxy', () => ({ ...taskInput(1), dependsOn: revoked() }), 'input'],
  ['an input that is a revoked Proxy', () => revoked(), 'input'],
  ['an input whose title getter throws', () => throwingGetter('title', { description: 'd' }), 'input'],
  [
    'metadata whose getter throws inside a Proxy',
    () =>
      taskInput(1, {
        metadata: {
          p: new Proxy(
            {},
            {
              ownKeys: () => {
                throw new Error('boom');
              },
            },
          ),
        },
      }),
    'metadata',
  ],
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
  ['an assignedAgent with a lone surrogate', () => ({ assignedAgent: LONE })],
  ['null as the filter', () => null],
  // An array was taken for "no filter" and listed every task.
  ['an array as the filter', () => [{ status: 'pending' }]],
  ['a revoked Proxy as the filter', () => revoked()],
  ['a filter whose status getter throws', () => throwingGetter('status')],
];

/** @internal Bad updates: refused with `OMC_INVALID_INPUT`, writing nothing. */
export const BAD_UPDATES: readonly Case<unknown>[] = [
  ["status 'done'", () => ({ status: 'done' })],
  ['status 3', () => ({ status: 3 })],
  ['an empty assignedAgent', () => ({ assignedAgent: '  ' })],
  ['a numeric result', () => ({ result: 42 })],
  ['an object error', () => ({ error: { message: 'x' } })],
  ['metadata with a function', () => ({ metadata: { f: () => 1 } })],
  ['metadata with a cycle', () => ({ metadata: cyclic() })],
  ['an array as metadata', () => ({ metadata: ['a'] })],
  ['a valid status with invalid metadata', () => ({ status: TaskStatus.CANCELLED, metadata: { n: 1n } })],
  ['metadata with an array hole', () => ({ metadata: { a: sparse(2, { 1: 1 }) } })],
  ['metadata nested 3000 levels', () => ({ metadata: nested(3000) })],
  ['metadata with a Date', () => ({ metadata: { at: new Date(0) } })],
  ['a result with a lone surrogate', () => ({ result: LONE })],
  ['an error with a lone surrogate', () => ({ error: LONE })],
  ['an assignedAgent with a lone surrogate', () => ({ assignedAgent: LONE })],
  ['metadata with a lone surrogate key', () => ({ metadata: { [LONE]: 'x' } })],
  ['null instead of an update', () => null],
  // An array was taken for an empty update and bumped updatedAt.
  ['an array instead of an update', () => [{ status: TaskStatus.CANCELLED }]],
  ['a revoked Proxy as the update', () => revoked()],
  ['an update whose result getter throws', () => throwingGetter('result')],
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

    itNeeding(
      target,
      ['idempotencyKeys'],
      'accepts the smallest lease settings and a key of 255 characters',
      async () => {
        const key = 'k'.repeat(255);
        const input = taskInput(1, { maxAttempts: 1, runAt: 0, leaseMs: 1, timeoutMs: 1, idempotencyKey: key });
        const task = await ctx.store.createTask(input);
        expect(await mustGet(ctx.store, task.id)).toMatchObject({
          maxAttempts: 1,
          leaseMs: 1,
          timeoutMs: 1,
          idempotencyKey: key,
        });
      },
    );

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

    it('says which path of the metadata is at fault, and the depth limit', async () => {
      const hole = await expectRefusedInput(ctx, () =>
        ctx.store.createTask(taskInput(1, { metadata: { a: sparse(2, { 1: 1 }) } })),
      );
      expect(hole.message).toContain('metadata.a[0] is a hole');
      const deep = await expectRefusedInput(ctx, () => ctx.store.createTask(taskInput(1, { metadata: nested(3000) })));
      expect(deep.message).toContain(`more than ${MAX_METADATA_DEPTH} levels deep`);
    });

    it(`accepts metadata nested ${MAX_METADATA_DEPTH} levels and well-formed text beyond the BMP, reading both back equal`, async () => {
      const metadata = { ...nested(MAX_METADATA_DEPTH), emoji: '\u{1F600}', 'key\u{1F600}': ['\u{10FFFF}'] };
      const task = await ctx.store.createTask(taskInput(1, { title: 'a\u{1F600}b', metadata }));
      expect(await mustGet(ctx.store, task.id)).toMatchObject({ title: 'a\u{1F600}b', metadata });
    });

    it('returns priority -0 as 0, as it reads back', async () => {
      const task = await ctx.store.createTask(taskInput(1, { priority: -0 as TaskPriority }));
      expect(Object.is(task.priority, 0)).toBe(true);
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });

    it('reads metadata once: a getter answering 1, then NaN, is stored as the 1 that was checked', async () => {
      // The check read 1 and JSON.stringify read NaN, stored as null: a value that was never checked.
      const created = await ctx.store.createTask(taskInput(1, { metadata: flippingGetter() }));
      expect((await mustGet(ctx.store, created.id)).metadata).toEqual({ n: 1 });
      expect(created.metadata).toEqual({ n: 1 });
      const updated = await ctx.store.updateTask(created.id, { metadata: { a: [flippingGetter()] } });
      expect(updated?.metadata).toEqual({ a: [{ n: 1 }] });
      expect((await mustGet(ctx.store, created.id)).metadata).toEqual({ a: [{ n: 1 }] });
    });

    it('keeps a __proto__ key of metadata as an own key, reading it back equal', async () => {
      const metadata = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
      const task = await ctx.store.createTask(taskInput(1, { metadata }));
      const read = (await mustGet(ctx.store, task.id)).metadata as Record<string, unknown>;
      expect(Object.keys(read)).toEqual(['__proto__', 'a']);
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(read, '__proto__')?.value).toEqual({ polluted: true });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('createTasks refuses a hole or a non-object at any index, naming it, and writes nothing', async () => {
      await ctx.store.createTask(taskInput('existing'));
      // `createTasks([,])` was reported as OMC_STORAGE "Cannot read properties of undefined".
      for (const [inputs, field] of [
        [sparse(1, {}), 'inputs[0]'],
        [sparse(3, { 0: taskInput(1), 2: taskInput(2) }), 'inputs[1]'],
        [[taskInput(1), null], 'inputs[1]'],
        [[taskInput(1), 'Task 2'], 'inputs[1]'],
      ] as const) {
        const error = await expectRefusedInput(ctx, () =>
          ctx.store.createTasks(inputs as unknown as CreateTaskInput[]),
        );
        expect(InvalidInputError.isInstance(error) && error.field).toBe(field);
      }
    });

    itNeeding(
      target,
      ['groupedWrites', 'batchClaims'],
      'startTasks and completeTasks refuse a hole or a non-object at any index, naming it, and write nothing',
      async () => {
        const task = await ctx.store.createTask(taskInput(1));
        const lease = await mustClaim(ctx.store, 'agent');
        const held = await mustGet(ctx.store, task.id);
        const refusals: [() => unknown, string][] = [
          // `completeTasks([, { lease }])` threw `TypeError: Cannot read properties of undefined (reading 'id')`.
          [() => ctx.store.completeTasks(sparse(2, { 1: { lease } }) as unknown as TaskCompletion[]), 'completions[0]'],
          [() => ctx.store.completeTasks([{ lease }, null] as unknown as TaskCompletion[]), 'completions[1]'],
          [() => ctx.store.completeTasks([{ lease: null }] as unknown as TaskCompletion[]), 'completions[0].lease'],
          [() => ctx.store.completeTasks([{ lease, result: LONE }]), 'completions[0].result'],
          [() => ctx.store.startTasks(sparse(2, { 0: lease }) as unknown as TaskLease[]), 'leases[1]'],
          [() => ctx.store.startTasks(sparse(1, {}) as unknown as TaskLease[]), 'leases[0]'],
          [() => ctx.store.startTasks([lease, 'x'] as unknown as TaskLease[]), 'leases[1]'],
          [() => ctx.store.startTasks([{ id: lease.id }] as unknown as TaskLease[]), 'leases[0].leaseToken'],
          [() => ctx.store.startTasks(revoked() as unknown as TaskLease[]), 'leases'],
          [
            () => ctx.store.completeTasks([{ lease: revoked() }] as unknown as TaskCompletion[]),
            'completions[0].lease',
          ],
          [() => ctx.store.completeTasks([throwingGetter('lease')] as unknown as TaskCompletion[]), 'completions'],
          [() => ctx.store.startTask(revoked() as unknown as TaskLease), 'lease'],
          [
            () => ctx.store.completeTask(throwingGetter('leaseToken', { id: lease.id }) as unknown as TaskLease),
            'lease',
          ],
          [() => ctx.store.claimTask('agent', revoked() as never), 'options'],
          [() => ctx.store.claimTasks('agent', 2, throwingGetter('capabilities') as never), 'options'],
        ];
        for (const [call, field] of refusals) {
          const error = await expectRefusedInput(ctx, call);
          expect(InvalidInputError.isInstance(error) && error.field).toBe(field);
        }
        expect(await mustGet(ctx.store, task.id)).toEqual(held);
      },
    );

    it('failTask, releaseTask, cancelTask and retryTask refuse null or non-object options, writing nothing', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const lease = await mustClaim(ctx.store, 'agent');
      const held = await mustGet(ctx.store, task.id);
      // A revoked Proxy, or an option whose getter throws, threw that error (not typed) from the store.
      for (const options of [
        null,
        'retry',
        7,
        [],
        revoked(),
        throwingGetter('retry'),
        throwingGetter('reason'),
        throwingGetter('runAt'),
      ]) {
        const bad = options as unknown as undefined;
        // Each of these threw a TypeError reading the option from null.
        await expectRefusedInput(ctx, () => ctx.store.failTask(lease, 'boom', bad));
        await expectRefusedInput(ctx, () => ctx.store.releaseTask(lease, bad));
        await expectRefusedInput(ctx, () => ctx.store.cancelTask(task.id, bad));
        await expectRefusedInput(ctx, () => ctx.store.retryTask(task.id, bad));
      }
      await expectRefusedInput(ctx, () => ctx.store.failTask(lease, 'boom', { retry: 'no' as unknown as boolean }));
      expect(await mustGet(ctx.store, task.id)).toEqual(held);
      expect(await ctx.store.getTaskHistory(task.id)).toHaveLength(1);
    });

    itNeeding(
      target,
      ['capabilityRouting', 'batchClaims'],
      'refuses a lone surrogate in every text argument of a held task, writing nothing',
      async () => {
        const task = await ctx.store.createTask(taskInput(1, { requires: ['code'] }));
        await expectRefusedInput(ctx, () => ctx.store.claimTask(LONE));
        await expectRefusedInput(ctx, () => ctx.store.claimTask('agent', { capabilities: [LONE] }));
        await expectRefusedInput(ctx, () => ctx.store.claimTasks(LONE, 2));
        const lease = await mustClaim(ctx.store, 'agent');
        const held = await mustGet(ctx.store, task.id);
        await expectRefusedInput(ctx, () => ctx.store.completeTask(lease, LONE));
        await expectRefusedInput(ctx, () => ctx.store.failTask(lease, LONE));
        await expectRefusedInput(ctx, () => ctx.store.releaseTask(lease, { reason: LONE }));
        await expectRefusedInput(ctx, () => ctx.store.cancelTask(task.id, { reason: LONE }));
        await expectRefusedInput(ctx, () => ctx.store.getTask(LONE));
        expect(await mustGet(ctx.store, task.id)).toEqual(held);
      },
    );
  });

  describe(`${target.name}: returned tasks are the caller's`, () => {
    const ctx = useStore(target);

    itNeeding(
      target,
      ['capabilityRouting', 'dependencies'],
      'changing the requires, dependsOn or metadata of a returned task changes nothing in the store',
      async () => {
        const dependency = await ctx.store.createTask(taskInput(0));
        const created = await ctx.store.createTask(
          taskInput(1, { requires: ['code'], dependsOn: [dependency.id], metadata: { a: [1] } }),
        );
        const stored = await mustGet(ctx.store, created.id);
        // The reference store handed out its own arrays: a caller's push changed whom the task waits for.
        const returned = [created, await mustGet(ctx.store, created.id), ...(await ctx.store.getTasks())];
        for (const task of returned) {
          task.requires?.push('scribbled');
          task.dependsOn?.push('scribbled');
          (task.metadata?.a as unknown[] | undefined)?.push('scribbled');
        }
        expect(await mustGet(ctx.store, created.id)).toEqual(stored);
        expect(stored).toMatchObject({ requires: ['code'], dependsOn: [dependency.id], metadata: { a: [1] } });
      },
    );
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
