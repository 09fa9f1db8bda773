/**
 * Where stores get "now" from. Inject a fake one in tests instead of sleeping.
 *
 * ### Examples
 * ```ts
 * const clock: Clock = { now: () => 1_700_000_000_000 };
 * ```
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
