import { InvalidInputError, OmcError, TASK_STORE_SPECIFICATION_VERSION, type TaskStore } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_STORE_SPECIFICATION_VERSIONS, Swarm, UnsupportedStoreError } from '../src/index.js';
import { memoryStore } from './helpers.js';

/** A working memory store that says it implements `version` of the contract. */
function storeOfVersion(version: unknown): TaskStore {
  const store = memoryStore();
  Object.defineProperty(store, 'specificationVersion', { value: version });
  return store;
}

function refusal(store: TaskStore): unknown {
  try {
    new Swarm(store);
  } catch (error) {
    return error;
  }
  throw new Error('new Swarm(store) accepted the store');
}

describe('the TaskStore contract versions the swarm accepts', () => {
  it('supports v3, the version core defines', () => {
    expect(SUPPORTED_STORE_SPECIFICATION_VERSIONS).toEqual(['v3']);
    expect(SUPPORTED_STORE_SPECIFICATION_VERSIONS).toContain(TASK_STORE_SPECIFICATION_VERSION);
    expect(Object.isFrozen(SUPPORTED_STORE_SPECIFICATION_VERSIONS)).toBe(true);
    expect(new Swarm(storeOfVersion('v3')).status().state).toBe('idle');
  });

  for (const version of ['v2', 'v9']) {
    it(`refuses a store implementing ${version} with UnsupportedStoreError (OMC_UNSUPPORTED_STORE)`, () => {
      const error = refusal(storeOfVersion(version));
      expect(UnsupportedStoreError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(UnsupportedStoreError);
      expect(error).toBeInstanceOf(InvalidInputError);
      const e = error as UnsupportedStoreError;
      expect(OmcError.isInstance(e)).toBe(true);
      expect(e.code).toBe('OMC_UNSUPPORTED_STORE');
      expect(e.name).toBe('UnsupportedStoreError');
      expect(e.field).toBe('store');
      expect(e.found).toBe(version);
      expect(e.supported).toEqual(['v3']);
      expect(e.message).toBe(
        `The swarm supports TaskStore contract v3, but this store implements ${version}. Use a store package built for that version: upgrade the store package if it is older, or @omc/swarm if the store is newer.`,
      );
    });
  }

  it('refuses a store with no specificationVersion, saying so', () => {
    const error = refusal(storeOfVersion(undefined));
    expect(UnsupportedStoreError.isInstance(error)).toBe(true);
    expect((error as UnsupportedStoreError).found).toBeUndefined();
    expect((error as Error).message).toMatch(
      /^The swarm supports TaskStore contract v3, but this store has no specificationVersion\./,
    );
  });

  it('tells other errors apart: not every InvalidInputError is an UnsupportedStoreError', () => {
    expect(UnsupportedStoreError.isInstance(new InvalidInputError('store', 'x'))).toBe(false);
    expect(UnsupportedStoreError.isInstance(refusal(null as never))).toBe(false);
    expect(InvalidInputError.isInstance(refusal(null as never))).toBe(true);
  });
});
