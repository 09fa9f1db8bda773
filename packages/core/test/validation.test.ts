import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { TaskPriority, TaskStatus } from '../src/task.js';
import { newTaskId } from '../src/task-id.js';
import {
  DEFAULT_MAX_METADATA_BYTES,
  isTaskPriority,
  isTaskStatus,
  isWellFormedText,
  MAX_CLAIM_BATCH,
  MAX_METADATA_DEPTH,
  serialiseMetadata,
  validateAgentName,
  validateCapabilities,
  validateClaimLimit,
  validateClaimOptions,
  validateCreateInput,
  validateFilter,
  validateTaskId,
  validateUpdateInput,
} from '../src/validation.js';

/** The InvalidInputError `fn` throws; fails when it throws nothing or something else. */
function invalid(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('validateCreateInput', () => {
  it('defaults priority to MEDIUM, keeps LOW, and serialises metadata once', () => {
    expect(validateCreateInput({ title: 't', description: 'd' })).toEqual({
      title: 't',
      description: 'd',
      priority: TaskPriority.MEDIUM,
      metadata: undefined,
      metadataJson: undefined,
    });
    expect(validateCreateInput({ title: 't', description: 'd', priority: 0 }).priority).toBe(TaskPriority.LOW);
    expect(validateCreateInput({ title: 't', description: 'd', metadata: { a: [1] } }).metadataJson).toBe('{"a":[1]}');
  });

  it('keeps surrounding whitespace of a non-blank title', () => {
    expect(validateCreateInput({ title: '  t ', description: 'd' }).title).toBe('  t ');
  });

  it.each([
    ['title', { title: '\u00a0\u2003', description: 'd' }],
    ['title', { title: ['t'], description: 'd' }],
    ['description', { title: 't', description: 5 }],
    ['priority', { title: 't', description: 'd', priority: 2.0000001 }],
    ['priority', { title: 't', description: 'd', priority: Number.POSITIVE_INFINITY }],
    ['priority', { title: 't', description: 'd', priority: true }],
    ['input', undefined],
    ['input', 'a task'],
  ])('refuses a bad %s', (field, input) => {
    expect(invalid(() => validateCreateInput(input)).field).toBe(field);
  });

  it('puts the offending value in the message', () => {
    expect(invalid(() => validateCreateInput({ title: 't', description: 'd', priority: 7 })).message).toContain('7');
  });
});

describe('serialiseMetadata', () => {
  it('accepts undefined as no metadata', () => {
    expect(serialiseMetadata(undefined)).toEqual({ metadata: undefined, json: undefined });
  });

  it('accepts a value shared twice without a cycle', () => {
    const shared = { x: 1 };
    expect(serialiseMetadata({ a: shared, b: [shared, shared] }).json).toBe('{"a":{"x":1},"b":[{"x":1},{"x":1}]}');
  });

  it('accepts undefined members, which read back as absent', () => {
    expect(serialiseMetadata({ kept: 1, gone: undefined }).json).toBe('{"kept":1}');
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null), { a: 1 });
    expect(serialiseMetadata({ bare }).json).toBe('{"bare":{"a":1}}');
  });

  it.each([
    ['a nested function', { a: { b: [0, () => 1] } }, 'metadata.a.b[1] is a function'],
    ['a BigInt', { n: 1n }, 'metadata.n is a BigInt'],
    ['a symbol', { s: Symbol('s') }, 'metadata.s is a symbol'],
    ['-Infinity', { n: Number.NEGATIVE_INFINITY }, 'metadata.n is -Infinity'],
    ['NaN in an array', { n: [Number.NaN] }, 'metadata.n[0] is NaN'],
    ['undefined in an array', { n: [1, undefined] }, 'metadata.n[1] is undefined'],
    ['a Date, which would come back as a string', { at: new Date(0) }, 'metadata.at is a Date'],
    ['a Map, which would come back empty', { m: new Map([['k', 1]]) }, 'metadata.m is a Map'],
    ['a Set', { s: new Set([1]) }, 'metadata.s is a Set'],
    ['a class instance', { c: new (class Point {})() }, 'metadata.c is a Point'],
  ])('refuses %s and says where it is', (_name, value, where) => {
    expect(invalid(() => serialiseMetadata(value)).message).toContain(where);
  });

  it('refuses a cycle through an array', () => {
    const list: unknown[] = [];
    list.push({ list });
    expect(invalid(() => serialiseMetadata({ list })).message).toContain('cycle');
  });

  it.each([null, [], 'text', 3, true])('refuses %j as the metadata itself', (value) => {
    expect(invalid(() => serialiseMetadata(value)).field).toBe('metadata');
  });

  it('measures UTF-8 bytes against the limit, exactly', () => {
    // {"s":"…"} is 8 bytes of JSON around the string; 🚀 is 4 bytes in UTF-8 but 2 UTF-16 units.
    const limits = { maxMetadataBytes: 8 + 4 * 10 };
    expect(serialiseMetadata({ s: '🚀'.repeat(10) }, limits).json).toBeDefined();
    expect(invalid(() => serialiseMetadata({ s: `${'🚀'.repeat(10)}x` }, limits)).message).toContain('49 bytes');
    expect(invalid(() => serialiseMetadata({ s: 'é'.repeat(21) }, limits)).message).toContain('over the limit of 48');
  });

  it('uses a generous default limit', () => {
    expect(DEFAULT_MAX_METADATA_BYTES).toBe(256 * 1024);
    expect(serialiseMetadata({ s: 'x'.repeat(200_000) }).json).toHaveLength(200_008);
    expect(invalid(() => serialiseMetadata({ s: 'x'.repeat(DEFAULT_MAX_METADATA_BYTES) })).field).toBe('metadata');
  });
});

describe('validateUpdateInput', () => {
  it('keeps the given fields, drops unknown keys, and serialises metadata', () => {
    const update = { status: TaskStatus.COMPLETED, result: '', metadata: { a: 1 }, priority: 3, title: 'x' };
    expect(validateUpdateInput('t-1', update)).toEqual({
      status: TaskStatus.COMPLETED,
      result: '',
      metadata: { a: 1 },
      metadataJson: '{"a":1}',
    });
  });

  it.each([
    ['status', { status: 'done' }],
    ['assignedAgent', { assignedAgent: '' }],
    ['result', { result: 1 }],
    ['error', { error: null }],
    ['metadata', { metadata: null }],
    ['update', null],
  ])('refuses a bad %s and names the task', (field, update) => {
    const error = invalid(() => validateUpdateInput('t-1', update));
    expect(error.field).toBe(field);
    expect(error.taskId).toBe('t-1');
  });
});

describe('validateFilter', () => {
  it('accepts no filter, and the boundary values', () => {
    expect(validateFilter(undefined)).toEqual({});
    expect(validateFilter({ priority: 0, limit: 1, offset: 0 })).toEqual({ priority: 0, limit: 1, offset: 0 });
  });

  it.each([
    ['filter', null],
    ['filter', 'pending'],
    ['filter.status', { status: 'Pending' }],
    ['filter.priority', { priority: 4 }],
    ['filter.assignedAgent', { assignedAgent: ' ' }],
    ['filter.limit', { limit: Number.MAX_SAFE_INTEGER + 1 }],
    ['filter.offset', { offset: Number.POSITIVE_INFINITY }],
  ])('refuses a bad %s', (field, filter) => {
    expect(invalid(() => validateFilter(filter)).field).toBe(field);
  });
});

describe('ids, agent names and enum guards', () => {
  it('refuses blank or non-string ids and agent names', () => {
    expect(invalid(() => validateTaskId(' ')).field).toBe('id');
    expect(invalid(() => validateTaskId(42)).field).toBe('id');
    expect(invalid(() => validateAgentName('')).field).toBe('agentName');
    expect(validateAgentName('agent-1')).toBe('agent-1');
  });

  it('recognises only the enum values', () => {
    expect([0, 1, 2, 3, 1.0].every(isTaskPriority)).toBe(true);
    expect([-1, 4, 0.5, '1', null, Number.NaN].some(isTaskPriority)).toBe(false);
    expect(isTaskStatus('in_progress')).toBe(true);
    expect(['IN_PROGRESS', 'inProgress', '', undefined].some(isTaskStatus)).toBe(false);
  });
});

describe('v3 inputs: ids, requires, dependsOn, claim limits and options', () => {
  const base = { title: 't', description: 'd' };

  it('keeps a caller-chosen lowercase UUID and refuses anything else as field id', () => {
    const id = newTaskId();
    expect(validateCreateInput({ ...base, id }).id).toBe(id);
    expect(validateCreateInput(base).id).toBeUndefined();
    for (const bad of ['', 'x', id.toUpperCase(), 7, null]) {
      expect(invalid(() => validateCreateInput({ ...base, id: bad })).field).toBe('id');
    }
  });

  it('sorts and deduplicates requires, and reads an empty list as none', () => {
    expect(validateCreateInput({ ...base, requires: ['b', 'a', 'b'] }).requires).toEqual(['a', 'b']);
    expect(validateCreateInput({ ...base, requires: [] }).requires).toBeUndefined();
    expect(validateCapabilities('capabilities', ['x'])).toEqual(['x']);
  });

  it.each([
    ['a string', 'code'],
    ['a number entry', [1]],
    ['a blank entry', [' ']],
    ['a long name', ['c'.repeat(65)]],
    ['too many names', Array.from({ length: 33 }, (_, i) => String(i))],
  ])('names the whole list (requires) for %s', (_name, requires) => {
    expect(invalid(() => validateCreateInput({ ...base, requires })).field).toBe('requires');
  });

  it('keeps dependsOn in order and refuses duplicates, blanks and non-arrays as field dependsOn', () => {
    const [a, b] = [newTaskId(), newTaskId()];
    expect(validateCreateInput({ ...base, dependsOn: [b, a] }).dependsOn).toEqual([b, a]);
    expect(validateCreateInput({ ...base, dependsOn: [] }).dependsOn).toBeUndefined();
    for (const bad of [[a, a], [''], [3], a, null]) {
      expect(invalid(() => validateCreateInput({ ...base, dependsOn: bad })).field).toBe('dependsOn');
    }
  });

  it('accepts claim limits from 1 to MAX_CLAIM_BATCH only', () => {
    expect(validateClaimLimit(1)).toBe(1);
    expect(validateClaimLimit(MAX_CLAIM_BATCH)).toBe(MAX_CLAIM_BATCH);
    for (const bad of [0, MAX_CLAIM_BATCH + 1, 2.5, Number.NaN, '3', undefined]) {
      expect(invalid(() => validateClaimLimit(bad)).field).toBe('limit');
    }
  });

  it('tells "no capabilities given" (any task) from "none" (only tasks requiring nothing)', () => {
    expect(validateClaimOptions(undefined).capabilities).toBeUndefined();
    expect(validateClaimOptions({}).capabilities).toBeUndefined();
    expect(validateClaimOptions({ capabilities: [] }).capabilities).toEqual([]);
    expect(validateClaimOptions({ capabilities: ['b', 'a'] }).capabilities).toEqual(['a', 'b']);
    expect(invalid(() => validateClaimOptions('code')).field).toBe('options');
    expect(invalid(() => validateClaimOptions({ capabilities: 'code' })).field).toBe('capabilities');
  });
});

describe('serialiseMetadata on deep and ill-formed input', () => {
  function nested(depth: number): Record<string, unknown> {
    let value: Record<string, unknown> = {};
    for (let i = 1; i < depth; i++) value = { next: value };
    return value;
  }

  it(`accepts ${MAX_METADATA_DEPTH} levels of objects and refuses one more, typed`, () => {
    expect(serialiseMetadata(nested(MAX_METADATA_DEPTH)).json).toBeDefined();
    expect(() => serialiseMetadata(nested(MAX_METADATA_DEPTH + 1))).toThrow(/more than 64 levels deep/);
  });

  it('refuses arrays nested 100 000 deep with InvalidInputError, not a stack overflow', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let caught: unknown;
    try {
      serialiseMetadata({ deep });
    } catch (error) {
      caught = error;
    }
    expect(InvalidInputError.isInstance(caught)).toBe(true);
  });

  it('tells well-formed text from text with a lone surrogate', () => {
    expect(isWellFormedText('a\u{1F600}b')).toBe(true);
    for (const bad of ['a\uD800b', '\uDC00', 'end\uD83D']) expect(isWellFormedText(bad)).toBe(false);
  });
});
