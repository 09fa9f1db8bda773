import { describe, expect, it } from 'vitest';
import { InvalidInputError, type LeaseOptions, resolveLeaseOptions } from '../src/index.js';
import { MemoryTaskStore, type MemoryTaskStoreOptions } from '../src/testing.js';

function refusedField(build: () => unknown): string | false {
  try {
    build();
  } catch (error) {
    expect(InvalidInputError.isInstance(error), `expected OMC_INVALID_INPUT, got ${String(error)}`).toBe(true);
    return InvalidInputError.isInstance(error) && error.field;
  }
  throw new Error('expected the options to be refused');
}

describe('MemoryTaskStore options', () => {
  for (const [name, options, field] of [
    // A default parameter does not replace null: reading `options.clock` threw a TypeError.
    ['null as the options', null, 'options'],
    ['a number as the options', 3, 'options'],
    ['backoff null', { backoff: null }, 'backoff'],
    ['a clock without now()', { clock: { time: () => 0 } }, 'clock'],
    ['maxMetadataBytes -1', { maxMetadataBytes: -1 }, 'maxMetadataBytes'],
    ['maxMetadataBytes NaN', { maxMetadataBytes: Number.NaN }, 'maxMetadataBytes'],
    ['random that is a string', { random: 'seeded' }, 'random'],
  ] as const) {
    it(`refuses ${name}`, () => {
      expect(refusedField(() => new MemoryTaskStore(options as unknown as MemoryTaskStoreOptions))).toBe(field);
    });
  }

  it('takes undefined as the defaults', () => {
    const store = new MemoryTaskStore(undefined);
    expect(store.createTask({ title: 't', description: 'd' }).maxAttempts).toBe(3);
  });

  it('resolveLeaseOptions refuses null and a backoff that is not an object', () => {
    expect(refusedField(() => resolveLeaseOptions(null as unknown as LeaseOptions))).toBe('options');
    expect(refusedField(() => resolveLeaseOptions({ backoff: [] as unknown as LeaseOptions['backoff'] }))).toBe(
      'backoff',
    );
  });
});
