import type { Clock } from './clock.js';
import type { TaskStoreDriver } from './driver/task-store-driver.js';
import type { LeaseOptions } from './lease-options.js';
import { asyncMemoryDriver } from './memory/async-memory-driver.js';
import { MemoryDriver } from './memory/memory-driver.js';
import { DriverTaskStore } from './store/driver-task-store.js';
import { resolveStoreOptions } from './validation.js';

/** Options of {@link MemoryTaskStore} and {@link AsyncMemoryTaskStore}. */
export interface MemoryTaskStoreOptions extends LeaseOptions {
  clock?: Clock;
  maxMetadataBytes?: number;
}

/**
 * The reference `TaskStore`: core's one implementation of the contract over the in-memory driver,
 * synchronous. It defines what the conformance suite expects and serves tests that need a store
 * without a database.
 *
 * ### Examples
 * ```ts
 * import { MemoryTaskStore } from '@omc/core/testing';
 * const store = new MemoryTaskStore();
 * store.createTask({ title: 'a', description: 'b' });
 * store.claimTask('agent-1')?.status; // 'claimed'
 * ```
 */
export class MemoryTaskStore extends DriverTaskStore<'sync'> {
  constructor(options?: MemoryTaskStoreOptions) {
    const resolved = resolveStoreOptions(options);
    super(new MemoryDriver(), resolved);
  }
}

/**
 * The reference store over an asynchronous driver: the same implementation as {@link MemoryTaskStore},
 * but every method returns a promise, settled later, and concurrent calls interleave as they would on a
 * network database. Run code against it to prove it never relies on a store being synchronous.
 *
 * ### Examples
 * ```ts
 * import { AsyncMemoryTaskStore } from '@omc/core/testing';
 * const store = new AsyncMemoryTaskStore();
 * await store.createTask({ title: 'a', description: 'b' });
 * (await store.claimTask('agent-1'))?.status; // 'claimed'
 * ```
 */
export class AsyncMemoryTaskStore extends DriverTaskStore<'async'> {
  constructor(options?: MemoryTaskStoreOptions) {
    const resolved = resolveStoreOptions(options);
    super(asyncMemoryDriver() as TaskStoreDriver & { mode: 'async' }, resolved);
  }
}
