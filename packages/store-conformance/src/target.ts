import type { Clock, LeaseOptions, MaybePromise, TaskStore } from '@omc/core';

/**
 * What the suite asks of a store it creates: the clock to read time from, the input limits, and the lease
 * and retry settings (`leaseMs`, `maxAttempts`, `backoff`, `random`). Pass every field on to the store:
 * the lease and retry tests set them and check the values they produce.
 */
export interface ConformanceStoreOptions extends LeaseOptions {
  /** The store must take every timestamp from this clock (the suite passes a `FakeClock`). */
  clock: Clock;
  /** Largest serialised metadata in UTF-8 bytes; `undefined` means the store's default. */
  maxMetadataBytes?: number;
}

/**
 * A store implementation under test.
 *
 * ### Examples
 * ```ts
 * const target: ConformanceTarget = {
 *   name: 'MemoryTaskStore',
 *   createStore: (options) => new MemoryTaskStore(options),
 * };
 * ```
 */
export interface ConformanceTarget {
  /** Shown in describe() titles. */
  name: string;
  /** A fresh, empty store using the given clock, limits and lease options. */
  createStore(options: ConformanceStoreOptions): MaybePromise<TaskStore>;
}
