import { validateOptionalInteger } from '@omc/core';

// Checks of the pool's own inputs (core validates tasks, filters and leases).

/** Longest `changePollMs`: what `setInterval` can wait. */
const MAX_CHANGE_POLL_MS = 2 ** 31 - 1;

/** Check `TaskPoolOptions.changePollMs`; 20 ms when absent. @internal */
export function validateChangePollMs(value: unknown): number {
  return (
    validateOptionalInteger('changePollMs', value, {
      min: 1,
      max: MAX_CHANGE_POLL_MS,
      what: "ms between checks for other processes' writes",
    }) ?? 20
  );
}
