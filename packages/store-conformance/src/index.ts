import { describeBatch } from './batch.js';
import { describeClaim } from './claim.js';
import { describeCrud } from './crud.js';
import { describeFilters } from './filters.js';
import { describeLifecycle } from './lifecycle.js';
import { describeStats } from './stats.js';
import type { ConformanceTarget } from './target.js';
import { describeTransitions } from './transitions.js';
import { describeValidation } from './validation.js';

export type { ConformanceStoreOptions, ConformanceTarget } from './target.js';

/**
 * Register the `TaskStore` v1 conformance suite with vitest: one describe() per domain (tasks and their
 * shape, validation, claiming, transitions, filters, stats, batches, close). Call it at the top level of a
 * test file. Every test gets a fresh store from `createStore`, on a `FakeClock`, and closes it afterwards.
 *
 * ### Examples
 * ```ts
 * import { MemoryTaskStore } from '@omc/core/testing';
 * import { runTaskStoreConformance } from '@omc/store-conformance';
 *
 * runTaskStoreConformance({
 *   name: 'MemoryTaskStore',
 *   createStore: (options) => new MemoryTaskStore(options),
 * });
 * ```
 */
export function runTaskStoreConformance(target: ConformanceTarget): void {
  describeCrud(target);
  describeValidation(target);
  describeClaim(target);
  describeTransitions(target);
  describeFilters(target);
  describeStats(target);
  describeBatch(target);
  describeLifecycle(target);
}
