import { InvalidInputError, taskIdTaken, type ValidCreateInput } from '@omc/core';

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

/**
 * Refuse a batch that gives two new tasks one id (a repeated idempotency key is one task, not two).
 * @internal
 */
export function refuseRepeatedIds(valid: readonly ValidCreateInput[]): void {
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const input of valid) {
    if (input.idempotencyKey !== undefined) {
      if (keys.has(input.idempotencyKey)) continue;
      keys.add(input.idempotencyKey);
    }
    if (input.id === undefined) continue;
    if (ids.has(input.id)) throw taskIdTaken(input.id);
    ids.add(input.id);
  }
}
