import type { Clock, LeaseOptions, MaybePromise, TaskStatus, TaskStore } from '@omc/core';

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
 * The parts of the contract a store may leave out. Each is supported unless set to `false`; a target
 * that lacks one gets the tests of its behaviour registered as skipped, named with the capability
 * (`… — skipped: target lacks capability "dependencies"`), and the run prints one line listing them.
 * Input validation stays: a store without a capability still refuses malformed input for it with
 * `OMC_INVALID_INPUT`, as `@omc/core`'s validators do.
 *
 * ### Examples
 * ```ts
 * const capabilities: ConformanceCapabilities = { dependencies: false, changeSignal: false };
 * ```
 */
export interface ConformanceCapabilities {
  /** `dependsOn`: gating a claim until every dependency is COMPLETED, and the cancel cascade. */
  dependencies?: boolean;
  /** `idempotencyKey`: a second create with a key returns the task the first one made. */
  idempotencyKeys?: boolean;
  /** A task's `requires` and a claim's `capabilities` / `exclusive`. */
  capabilityRouting?: boolean;
  /** `claimTasks`: up to `limit` claims in one atomic step. */
  batchClaims?: boolean;
  /** `startTasks` and `completeTasks`: many fenced writes in one transaction. */
  groupedWrites?: boolean;
  /** `onChange`: listeners called soon after a write through the store. */
  changeSignal?: boolean;
}

/** The name of one capability a target may lack. */
export type ConformanceCapability = keyof ConformanceCapabilities;

/** Every capability a target may lack, in the order the skip summary lists them. */
export const CONFORMANCE_CAPABILITIES: readonly ConformanceCapability[] = [
  'dependencies',
  'idempotencyKeys',
  'capabilityRouting',
  'batchClaims',
  'groupedWrites',
  'changeSignal',
];

/**
 * A task's row as the store persisted it, read past the store's API. Absent values are `null`;
 * `metadata` is the stored JSON parsed (`null` when none).
 */
export interface StoredView {
  status: TaskStatus;
  attempts: number;
  leaseToken: number;
  leaseExpiresAt: number | null;
  assignedAgent: string | null;
  result: string | null;
  error: string | null;
  runAt: number | null;
  metadata: Record<string, unknown> | null;
}

/** A reader of what a store persisted, bypassing its API (raw SQL, the private map of an in-memory store). */
export interface ConformanceBackdoor {
  /** The task's stored row, or `null` when nothing is stored under `id`. */
  readStored(id: string): MaybePromise<StoredView | null>;
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
  /** What the store lacks; every capability left out is supported. */
  capabilities?: ConformanceCapabilities;
  /**
   * A reader of what `store` (one `createStore` made) persisted. With it, the suite also checks the stored
   * row after claims, completions and refused writes; without it, those tests are skipped and the run
   * says so.
   */
  backdoor?: (store: TaskStore) => ConformanceBackdoor;
}
