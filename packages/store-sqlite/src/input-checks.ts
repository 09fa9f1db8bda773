import { InvalidInputError } from '@omc/core';

// Checks of the pool's own inputs (core validates tasks, filters and leases).

/** Longest `changePollMs`: what `setInterval` can wait. */
const MAX_CHANGE_POLL_MS = 2 ** 31 - 1;

/** Check `TaskPoolOptions.changePollMs`; 20 ms when absent. @internal */
export function validateChangePollMs(value: unknown): number {
  if (value === undefined) return 20;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_CHANGE_POLL_MS) {
    throw new InvalidInputError(
      'changePollMs',
      `changePollMs must be an integer from 1 to ${MAX_CHANGE_POLL_MS} (ms between checks for other processes' writes), got ${String(value)}.`,
    );
  }
  return value;
}
