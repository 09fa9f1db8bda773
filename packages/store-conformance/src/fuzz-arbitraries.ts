import type { TaskLease } from '@omc/core';
import fc from 'fast-check';

/**
 * @internal What a generated argument may refer to: the tasks, leases and idempotency keys of the store
 * the case runs against, known only when the case runs. Arbitraries pick an index; the recipe takes the
 * item at that index (modulo the count), so shrinking an index still lands on a real task.
 */
export interface FuzzWorld {
  readonly ids: string[];
  readonly leases: TaskLease[];
  readonly keys: string[];
}

/**
 * @internal A generated value that is built when the case runs: one that refers to the store's tasks, or
 * one that fast-check must not build, print or reuse itself (a cycle, a throwing getter, a Proxy, a
 * 300 000-character string). Printed by its label in fast-check's counterexample, and built fresh for
 * every run, so a case that mutates its input cannot leak into the next.
 */
export class Recipe {
  constructor(
    readonly label: string,
    readonly build: (world: FuzzWorld) => unknown,
  ) {}

  [fc.toStringMethod](): string {
    return this.label;
  }
}

function recipe(label: string, build: (world: FuzzWorld) => unknown): Recipe {
  return new Recipe(label, build);
}

/**
 * @internal Build the value a generated argument stands for: recipes built, arrays (holes kept) and plain
 * objects (own keys, `__proto__` included, kept as own keys) copied with their items built. Anything
 * else is passed as generated.
 */
export function materialize(value: unknown, world: FuzzWorld): unknown {
  if (value instanceof Recipe) return value.build(world);
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = materialize(value[i], world);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const copy = Object.create(prototype) as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      const item = materialize((value as Record<string, unknown>)[key], world);
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  return value;
}

/** @internal An object with exactly these own keys, built with defineProperty so `__proto__` stays a key. */
export function objectOf(entries: readonly (readonly [string, unknown])[]): Recipe {
  const label = `{${entries.map(([key, value]) => `${JSON.stringify(key)}: ${fc.stringify(value)}`).join(', ')}}`;
  return recipe(label, (world) => {
    const object: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      Object.defineProperty(object, key, {
        value: materialize(value, world),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  });
}

/** @internal Text SQL gives a meaning to: quotes, comments, LIKE wildcards, escapes, statement ends. */
export const SQL_METACHARACTERS: readonly string[] = [
  "'; DROP TABLE tasks; --",
  "' OR '1'='1",
  '"; DELETE FROM tasks; --',
  '%',
  '_',
  '%_%',
  '\\',
  '\\%',
  "'",
  '"',
  '`',
  ';',
  '--',
  '/*',
  '*/',
  'NULL',
  'null',
  '?',
  ':id',
  '@id',
  '$id',
  '?1',
  'a\u0000b',
  "x'); DROP TABLE task_dependencies; --",
];

/** @internal Keys that mean something to JavaScript objects or JSON tooling. */
export const SPECIAL_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'toJSON',
  '__defineGetter__',
  '',
  ' ',
  '0',
  '-0',
  '1e3',
  'length',
  '$where',
  'a.b',
  'a[0]',
  '\u0000',
];

/** @internal A lone surrogate somewhere in otherwise ordinary text. */
export const loneSurrogateText: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 4 }))
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`);

/** @internal Well-formed text, beyond the BMP too (surrogate pairs, combining marks, RTL, BOM). */
export const wellFormedText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  fc.constantFrom(
    'Task',
    'a\u{1F600}b',
    '\u{10FFFF}',
    'e\u0301',
    '\u202Eevil',
    '\uFEFFbom',
    'line\nbreak',
    'tab\there',
  ),
);

/** @internal Text a caller may pass anywhere: mostly valid, often hostile. */
export const anyText: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: wellFormedText },
  { weight: 2, arbitrary: fc.constantFrom(...SQL_METACHARACTERS) },
  { weight: 1, arbitrary: loneSurrogateText },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', ' \n\t ', '\u00A0', '\u2028') },
  { weight: 1, arbitrary: fc.constant(recipe("'x'.repeat(300_000)", () => 'x'.repeat(300_000))) },
  { weight: 1, arbitrary: fc.constant(recipe("'é'.repeat(70_000)", () => 'é'.repeat(70_000))) },
  { weight: 1, arbitrary: fc.constant(recipe("'k'.repeat(255)", () => 'k'.repeat(255))) },
  { weight: 1, arbitrary: fc.constant(recipe("'k'.repeat(256)", () => 'k'.repeat(256))) },
);

class Point {
  constructor(
    readonly x = 1,
    readonly y = 2,
  ) {}
}

/** @internal Values no JSON store can keep as given, each built fresh. */
export const hostileValue: fc.Arbitrary<unknown> = fc.constantFrom(
  recipe('NaN', () => Number.NaN),
  recipe('Infinity', () => Number.POSITIVE_INFINITY),
  recipe('-Infinity', () => Number.NEGATIVE_INFINITY),
  recipe('-0', () => -0),
  recipe('10n', () => 10n),
  recipe("Symbol('s')", () => Symbol('s')),
  recipe('() => 1', () => () => 1),
  recipe('new Date(0)', () => new Date(0)),
  recipe('new Map([[1, 2]])', () => new Map([[1, 2]])),
  recipe('new Set([1])', () => new Set([1])),
  recipe('new Point()', () => new Point()),
  recipe('new String("s")', () => new String('s')),
  recipe('new Number(1)', () => new Number(1)),
  recipe('/re/g', () => /re/g),
  recipe('new Uint8Array(2)', () => new Uint8Array(2)),
  recipe('new Error("e")', () => new Error('e')),
  recipe('Promise.resolve(1)', () => Promise.resolve(1)),
  recipe('a cycle', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = { parent: value };
    return value;
  }),
  recipe('an array containing itself', () => {
    const value: unknown[] = [1];
    value.push(value);
    return value;
  }),
  recipe('{ toJSON() { return 1 } }', () => ({ toJSON: () => 1 })),
  recipe('Object.create({ inherited: 1 })', () => Object.create({ inherited: 1 })),
  recipe('{ get boom() { throw } }', () =>
    Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter boom');
      },
    }),
  ),
  recipe('{ get stable() { return 1 } }', () =>
    Object.defineProperty({}, 'stable', { enumerable: true, get: () => 1 }),
  ),
  recipe('[1, , 3] (a hole)', () => {
    const value: unknown[] = new Array(3);
    value[0] = 1;
    value[2] = 3;
    return value;
  }),
  recipe('[undefined]', () => [undefined]),
  recipe('Object.assign([1], { note: 1 })', () => Object.assign([1], { note: 1 })),
  recipe('{ [Symbol()]: 1 }', () => ({ [Symbol('k')]: 1 })),
  recipe('new Proxy({ a: 1 }, {})', () => new Proxy({ a: 1 }, {})),
  recipe(
    'a Proxy whose ownKeys throws',
    () =>
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('ownKeys boom');
          },
        },
      ),
  ),
  recipe('a revoked Proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  }),
  recipe('Object.freeze({ a: [1] })', () => Object.freeze({ a: Object.freeze([1]) })),
  recipe('Object.create(null) with a: 1', () => Object.assign(Object.create(null), { a: 1 })),
  recipe('{ __proto__: { x: 1 } } (a prototype)', () => ({ __proto__: { x: 1 } })),
  recipe('2 ** 53', () => 2 ** 53),
  recipe('Number.MAX_VALUE', () => Number.MAX_VALUE),
  recipe('5e-324', () => 5e-324),
);

/** @internal Metadata nested `depth` objects deep. */
export function nestedRecipe(depth: number): Recipe {
  return recipe(`nested(${depth})`, () => {
    let value: Record<string, unknown> = { leaf: true };
    for (let i = 1; i < depth; i++) value = { next: value };
    return value;
  });
}

/** @internal Arrays nested `depth` deep. */
function nestedArrayRecipe(depth: number): Recipe {
  return recipe(`nestedArray(${depth})`, () => {
    let value: unknown = [];
    for (let i = 1; i < depth; i++) value = [value];
    return value;
  });
}

const metadataKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom(...SQL_METACHARACTERS) },
  { weight: 1, arbitrary: loneSurrogateText },
);

/** A JSON leaf: what reads back equal. */
const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  wellFormedText,
  fc.constantFrom(...SQL_METACHARACTERS),
);

/** @internal Metadata values: JSON trees with hostile leaves, keys and shapes mixed in. */
export const metadataValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: jsonLeaf },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: loneSurrogateText },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.sparseArray(tie('value'), { maxLength: 4 }) },
    {
      weight: 2,
      arbitrary: fc.array(fc.tuple(metadataKey, tie('value')), { maxLength: 4 }).map((entries) => objectOf(entries)),
    },
  ),
})).value;

/** @internal A metadata argument: usually an object, sometimes deep, huge or not an object at all. */
export const metadataArg: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(fc.tuple(metadataKey, metadataValue), { maxLength: 5 }).map((entries) => objectOf(entries)),
  },
  { weight: 1, arbitrary: fc.constantFrom(63, 64, 65, 3_000).map(nestedRecipe) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(63, 65, 3_000)
      .map(nestedArrayRecipe)
      .map((deep) => objectOf([['a', deep]])),
  },
  {
    weight: 1,
    arbitrary: fc.constant(recipe('{ big: 300 000 chars }', () => ({ big: 'x'.repeat(300_000) }))),
  },
  {
    weight: 1,
    arbitrary: fc.constant(recipe('{ big: 262 136 chars (the limit) }', () => ({ b: 'x'.repeat(262_136) }))),
  },
  { weight: 1, arbitrary: hostileValue },
  { weight: 1, arbitrary: fc.constantFrom(null, [], [1], 'meta', 1, true) },
);

/** @internal A value of the wrong type for any parameter. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, '', [], {}, [null]),
  fc.integer(),
  hostileValue,
);

/** @internal A number argument (limits, priorities, ms, runAt): edges, wrong types, strings that look numeric. */
export const anyNumber: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 5 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 1000, 1001, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, -0, '1', '10', '0x1', ' 1', '1e3') },
  { weight: 1, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }) },
  { weight: 1, arbitrary: wrongType },
);

const UUID_SHAPES: readonly string[] = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '0000000-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-0000000000000',
  '{00000000-0000-0000-0000-000000000000}',
];

/** @internal A task id: one of the store's, a well-formed unknown one, or nonsense. */
export const anyId: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.nat(20).map((i) => recipe(`ids[${i}]`, (w) => w.ids[i % Math.max(1, w.ids.length)] ?? 'none')),
  },
  { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(...UUID_SHAPES) },
  {
    weight: 1,
    arbitrary: fc
      .nat(20)
      .map((i) =>
        recipe(`ids[${i}].toUpperCase()`, (w) => (w.ids[i % Math.max(1, w.ids.length)] ?? 'none').toUpperCase()),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .nat(20)
      .map((i) => recipe(`ids[${i}] + ' '`, (w) => `${w.ids[i % Math.max(1, w.ids.length)] ?? 'none'} `)),
  },
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: wrongType },
);

/** @internal A lease: a held one, one with a stale or wrong token, one for another task, or not a lease. */
export const anyLease: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(fc.nat(20), fc.constantFrom(0, 0, 0, -1, 1)).map(([i, delta]) =>
      recipe(`leases[${i}]${delta === 0 ? '' : ` token${delta > 0 ? '+' : ''}${delta}`}`, (w) => {
        const lease = w.leases[i % Math.max(1, w.leases.length)];
        return lease ? { id: lease.id, leaseToken: lease.leaseToken + delta } : { id: 'none', leaseToken: 1 };
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(anyId, anyNumber).map(([id, leaseToken]) => ({ id, leaseToken })),
  },
  {
    weight: 1,
    arbitrary: fc.nat(20).map((i) =>
      recipe(`leases[${i}] without leaseToken`, (w) => ({
        id: w.leases[i % Math.max(1, w.leases.length)]?.id ?? 'none',
      })),
    ),
  },
  { weight: 1, arbitrary: wrongType },
);

/** @internal An idempotency key: one already used, a fresh one, or a bad one. */
export const anyIdempotencyKey: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.nat(20).map((i) => recipe(`keys[${i}]`, (w) => w.keys[i % Math.max(1, w.keys.length)] ?? 'key')),
  },
  { weight: 3, arbitrary: anyText },
  { weight: 1, arbitrary: wrongType },
);

/** @internal A list argument: an array of generated items, sparse, empty, or not an array. */
export function listOf(item: fc.Arbitrary<unknown>, maxLength = 4): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(item, { maxLength }) },
    { weight: 1, arbitrary: fc.sparseArray(item, { maxLength, noTrailingHole: false }) },
    { weight: 1, arbitrary: wrongType },
  );
}

/**
 * @internal An object argument: some of the given fields, each valid-ish or hostile, sometimes with
 * extra keys (`__proto__`, unknown ones), or not an object at all.
 */
export function recordOf(fields: Record<string, fc.Arbitrary<unknown>>, notAnObject = 1): fc.Arbitrary<unknown> {
  const record = fc.record(fields, { requiredKeys: [] });
  const withExtras = fc
    .tuple(record, fc.array(fc.tuple(fc.constantFrom(...SPECIAL_KEYS, 'unknownField'), wrongType), { maxLength: 2 }))
    .map(([fieldsGiven, extras]) => objectOf([...Object.entries(fieldsGiven as object), ...extras]));
  return fc.oneof(
    { weight: 6, arbitrary: record.map((given) => objectOf(Object.entries(given as object))) },
    { weight: 1, arbitrary: withExtras },
    { weight: notAnObject, arbitrary: wrongType },
  );
}
