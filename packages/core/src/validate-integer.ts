import { describeValue } from './describe-value.js';
import { InvalidInputError } from './errors.js';

/** The integers a field accepts, and what the refusal message adds. */
export interface IntegerRange {
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value. Default `Number.MAX_SAFE_INTEGER`, which the message leaves out ("≥ min"). */
  max?: number;
  /** What the number counts, shown in brackets after the range, e.g. `'ms between polls'`. */
  what?: string;
  /** The task the value belongs to, carried on the error. */
  taskId?: string;
}

/**
 * Check an integer option or argument: a safe integer in `[min, max]`, else an `InvalidInputError`
 * naming `field`: "`field` must be an integer from `min` to `max` (`what`), got …" ("≥ `min`" without a
 * `max`). Every package states its integer checks through this, so they read alike.
 *
 * ### Examples
 * ```ts
 * validateInteger('limit', 10, { min: 1, max: 1000 }); // 10
 * validateInteger('limit', 0, { min: 1, max: 1000, what: 'tasks to claim at once' });
 * // throws InvalidInputError: limit must be an integer from 1 to 1000 (tasks to claim at once), got 0.
 * ```
 */
export function validateInteger(field: string, value: unknown, range: IntegerRange): number {
  const { min, max = Number.MAX_SAFE_INTEGER, what, taskId } = range;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
  const bounds = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  const counted = what === undefined ? '' : ` (${what})`;
  throw new InvalidInputError(field, `${field} must be an integer ${bounds}${counted}, got ${describeValue(value)}.`, {
    taskId,
  });
}

/**
 * {@link validateInteger} for an option that may be left out: `undefined` comes back as is.
 *
 * ### Examples
 * ```ts
 * validateOptionalInteger('pollInterval', undefined, { min: 1 }) ?? 1000; // 1000
 * ```
 */
export function validateOptionalInteger(field: string, value: unknown, range: IntegerRange): number | undefined {
  return value === undefined ? undefined : validateInteger(field, value, range);
}
