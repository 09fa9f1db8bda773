import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, TaskPool, type TaskPoolOptions } from '../src/index.js';
import { rawDb, tempDir } from './helpers.js';

/** Options the types would reject, as JavaScript callers and config files can pass them. */
const BAD_OPTIONS: readonly (readonly [name: string, options: unknown, field: string])[] = [
  // 'off' silently gave up durability; 'extra' and an injected statement reached the PRAGMA as text.
  ["synchronous 'off'", { synchronous: 'off' }, 'synchronous'],
  ["synchronous 'extra'", { synchronous: 'extra' }, 'synchronous'],
  ["synchronous 'NORMAL'", { synchronous: 'NORMAL' }, 'synchronous'],
  ['synchronous with an injected statement', { synchronous: 'normal; DROP TABLE tasks' }, 'synchronous'],
  ['synchronous 1', { synchronous: 1 }, 'synchronous'],
  // Reported as "Cannot open …: Check the path and its permissions".
  ["busyTimeoutMs 'x'", { busyTimeoutMs: 'x' }, 'busyTimeoutMs'],
  ['busyTimeoutMs -1', { busyTimeoutMs: -1 }, 'busyTimeoutMs'],
  ['busyTimeoutMs 1.5', { busyTimeoutMs: 1.5 }, 'busyTimeoutMs'],
  ['busyTimeoutMs Infinity', { busyTimeoutMs: Number.POSITIVE_INFINITY }, 'busyTimeoutMs'],
  ['maxMetadataBytes -1', { maxMetadataBytes: -1 }, 'maxMetadataBytes'],
  ['maxMetadataBytes 0', { maxMetadataBytes: 0 }, 'maxMetadataBytes'],
  ["maxMetadataBytes '1024'", { maxMetadataBytes: '1024' }, 'maxMetadataBytes'],
  ['backoff null', { backoff: null }, 'backoff'],
  ['backoff 1000', { backoff: 1000 }, 'backoff'],
  ["backoff.baseMs '1'", { backoff: { baseMs: '1' } }, 'backoff.baseMs'],
  ['a clock without now()', { clock: {} }, 'clock'],
  ['a clock that is a function', { clock: () => 0 }, 'clock'],
  ['random that is not a function', { random: 0.5 }, 'random'],
  ['changePollMs 0', { changePollMs: 0 }, 'changePollMs'],
  ["changePollMs '20'", { changePollMs: '20' }, 'changePollMs'],
  ["leaseMs '1000'", { leaseMs: '1000' }, 'leaseMs'],
  ['maxAttempts 0', { maxAttempts: 0 }, 'maxAttempts'],
  // A default parameter does not replace null: `options.clock` threw a TypeError.
  ['null as the options', null, 'options'],
  ['a string as the options', 'full', 'options'],
  ['an array as the options', [], 'options'],
];

function refusedField(build: () => unknown): string | false {
  try {
    build();
  } catch (error) {
    expect(InvalidInputError.isInstance(error), `expected OMC_INVALID_INPUT, got ${String(error)}`).toBe(true);
    return InvalidInputError.isInstance(error) && error.field;
  }
  throw new Error('expected the constructor to refuse the options');
}

describe('TaskPool options', () => {
  for (const [name, options, field] of BAD_OPTIONS) {
    it(`refuses ${name} before creating the file`, () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'tasks.db');
        expect(refusedField(() => new TaskPool(path, options as TaskPoolOptions))).toBe(field);
        expect(existsSync(path)).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('applies the accepted synchronous modes and busy timeout', () => {
    for (const [synchronous, level] of [
      ['normal', 1],
      ['full', 2],
    ] as const) {
      const pool = new TaskPool(':memory:', { synchronous, busyTimeoutMs: 0 });
      try {
        expect(rawDb(pool).pragma('synchronous', { simple: true })).toBe(level);
        expect(rawDb(pool).pragma('busy_timeout', { simple: true })).toBe(0);
      } finally {
        pool.close();
      }
    }
  });

  it('takes undefined options, and undefined fields, as the defaults', () => {
    const pool = new TaskPool(':memory:', undefined);
    const alsoDefault = new TaskPool(':memory:', {
      synchronous: undefined,
      busyTimeoutMs: undefined,
      clock: undefined,
    });
    try {
      expect(rawDb(pool).pragma('synchronous', { simple: true })).toBe(1);
      expect(rawDb(alsoDefault).pragma('busy_timeout', { simple: true })).toBe(10_000);
    } finally {
      pool.close();
      alsoDefault.close();
    }
  });
});
