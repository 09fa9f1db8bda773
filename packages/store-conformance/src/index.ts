import { describeBatch } from './batch.js';
import { describeBatchClaims } from './batch-claims.js';
import { describeCancellation } from './cancellation.js';
import { describeCapabilities } from './capabilities.js';
import { describeChangeSignal } from './change-signal.js';
import { describeClaim } from './claim.js';
import { describeCrud } from './crud.js';
import { describeDelays } from './delays.js';
import { describeDependencies } from './dependencies.js';
import { describeFilters } from './filters.js';
import { describeGroupedWrites } from './grouped-writes.js';
import { describeHistory } from './history.js';
import { describeIdempotency } from './idempotency.js';
import { describeLeases } from './leases.js';
import { describeLifecycle } from './lifecycle.js';
import { describeRetries } from './retries.js';
import { reportSkips } from './skips.js';
import { describeStats } from './stats.js';
import { describeStored } from './stored.js';
import type { ConformanceTarget } from './target.js';
import { describeTransitions } from './transitions.js';
import { describeValidation } from './validation.js';

export { describeInputFuzz, type InputFuzzOptions } from './fuzz-inputs.js';
export {
  describeModelFuzz,
  type ModelFuzzOptions,
  type ModelFuzzReport,
  runModelFuzz,
} from './fuzz-model.js';
export {
  CONFORMANCE_CAPABILITIES,
  type ConformanceBackdoor,
  type ConformanceCapabilities,
  type ConformanceCapability,
  type ConformanceStoreOptions,
  type ConformanceTarget,
  type StoredView,
} from './target.js';

/**
 * Register the `TaskStore` v3 conformance suite with vitest: one describe() per domain (tasks and their
 * shape, validation, claiming, transitions, filters, stats, batches, leases and fencing, retries, delays
 * and timeouts, cancellation, history, idempotency keys, batch claims, grouped writes, capabilities,
 * dependencies, the change signal, close, and what the store persisted). Call it at the top level of a test
 * file. Every test gets a fresh store from `createStore`, on a `FakeClock`, and closes it afterwards; pass
 * every option `createStore` receives on to the store (the lease tests set `leaseMs`, `backoff` and `random`).
 *
 * A target may declare `capabilities` it lacks: their tests are registered as skipped, each title naming
 * the capability. With a `backdoor`, the suite also reads what the store persisted, past its API; without
 * one, those tests are skipped. What was skipped is printed once, as one line, when the suite registers.
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
 *
 * // A store without dependencies or a change signal: those tests are registered as skipped.
 * runTaskStoreConformance({
 *   name: 'MemoryTaskStore (no dependencies)',
 *   createStore: (options) => new MemoryTaskStore(options),
 *   capabilities: { dependencies: false, changeSignal: false },
 * });
 * ```
 */
export function runTaskStoreConformance(given: ConformanceTarget): void {
  // A copy of its own, so what this registration skipped is counted apart from any other.
  const target = { ...given };
  describeCrud(target);
  describeValidation(target);
  describeClaim(target);
  describeTransitions(target);
  describeFilters(target);
  describeStats(target);
  describeBatch(target);
  describeLeases(target);
  describeRetries(target);
  describeDelays(target);
  describeCancellation(target);
  describeHistory(target);
  describeIdempotency(target);
  describeBatchClaims(target);
  describeGroupedWrites(target);
  describeCapabilities(target);
  describeDependencies(target);
  describeChangeSignal(target);
  describeLifecycle(target);
  describeStored(target);
  reportSkips(target);
}
