import { describeValue } from './describe-value.js';
import { InvalidInputError } from './errors.js';
import { type BackoffPolicy, DEFAULT_LEASE_POLICY, type LeasePolicy } from './lease.js';
import { validateOptionalInteger } from './validate-integer.js';

/** Lease and retry settings a store accepts; each falls back to {@link DEFAULT_LEASE_POLICY}. */
export interface LeaseOptions {
  /** Default lease length in ms for tasks created without `leaseMs`. Default 5 minutes. */
  leaseMs?: number;
  /** Default `maxAttempts` for tasks created without one. Default 3. */
  maxAttempts?: number;
  /** Retry backoff. Default from 1 s, doubling, capped at 5 minutes. */
  backoff?: Partial<BackoffPolicy>;
  /** Source of the backoff's jitter, in [0, 1). Default `Math.random`; inject one in tests. */
  random?: () => number;
}

/**
 * A store's lease options checked and completed with the defaults.
 *
 * ### Examples
 * ```ts
 * resolveLeaseOptions({ leaseMs: 30_000 }).policy.maxAttempts; // 3
 * ```
 */
export function resolveLeaseOptions(options: LeaseOptions = {}): { policy: LeasePolicy; random: () => number } {
  // Options come from JavaScript callers and config files too: null and wrong types must be refused
  // here, typed, not fail later as a TypeError or be taken for a default.
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidInputError(
      'options',
      `Store options must be an object (or left out), got ${describeValue(options)}.`,
    );
  }
  const positive = (field: string, value: unknown, fallback: number): number =>
    validateOptionalInteger(field, value, { min: 1 }) ?? fallback;
  const backoff: unknown = options.backoff;
  if (backoff !== undefined && (typeof backoff !== 'object' || backoff === null || Array.isArray(backoff))) {
    throw new InvalidInputError(
      'backoff',
      `backoff must be an object such as { baseMs: 1000, maxMs: 300000 } (or left out), got ${describeValue(backoff)}.`,
    );
  }
  const { baseMs: rawBase, maxMs: rawMax } = (backoff ?? {}) as { baseMs?: unknown; maxMs?: unknown };
  const baseMs = positive('backoff.baseMs', rawBase, DEFAULT_LEASE_POLICY.backoff.baseMs);
  const maxMs = positive('backoff.maxMs', rawMax, Math.max(baseMs, DEFAULT_LEASE_POLICY.backoff.maxMs));
  if (maxMs < baseMs) {
    throw new InvalidInputError(
      'backoff.maxMs',
      `backoff.maxMs (${maxMs}) must be at least backoff.baseMs (${baseMs}).`,
    );
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw new InvalidInputError('random', 'random must be a function returning a number in [0, 1).');
  }
  return {
    policy: {
      leaseMs: positive('leaseMs', options.leaseMs, DEFAULT_LEASE_POLICY.leaseMs),
      maxAttempts: positive('maxAttempts', options.maxAttempts, DEFAULT_LEASE_POLICY.maxAttempts),
      backoff: { baseMs, maxMs },
    },
    random: options.random ?? Math.random,
  };
}
