import { InvalidInputError, type ValidCreateInput } from '@omc/core';

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

/** The items of a grouped write, which must be an array. @internal */
export function validateGroup<T>(field: string, items: readonly T[]): readonly T[] {
  if (!Array.isArray(items)) {
    throw new InvalidInputError(field, `${field} must be an array, got ${items === null ? 'null' : typeof items}.`);
  }
  return items;
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
    if (ids.has(input.id)) throw idTaken(input.id);
    ids.add(input.id);
  }
}

/** The refusal of a caller-chosen id that a task already has. @internal */
export function idTaken(id: string): InvalidInputError {
  return new InvalidInputError('id', `A task with id ${id} already exists; choose a new id.`, { taskId: id });
}
