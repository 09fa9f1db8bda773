import type { Clock, MaybePromise, TaskStore } from '@omc/core';

/** What the suite asks of a store it creates: the clock to read time from, and the input limits. */
export interface ConformanceStoreOptions {
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
  /** A fresh, empty store using the given clock and limits. */
  createStore(options: ConformanceStoreOptions): MaybePromise<TaskStore>;
}
