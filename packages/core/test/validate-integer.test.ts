import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { validateInteger, validateOptionalInteger } from '../src/validate-integer.js';

function refusal(check: () => unknown): InvalidInputError {
  try {
    check();
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('validateInteger', () => {
  it('returns a safe integer within the range, bounds included', () => {
    expect(validateInteger('n', 1, { min: 1, max: 3 })).toBe(1);
    expect(validateInteger('n', 3, { min: 1, max: 3 })).toBe(3);
    expect(validateInteger('n', Number.MAX_SAFE_INTEGER, { min: 0 })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses what is not a safe integer in range, in one message shape naming the field', () => {
    for (const value of [0, 4, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '2', null, undefined, [2]]) {
      const error = refusal(() => validateInteger('n', value, { min: 1, max: 3 }));
      expect(error.field).toBe('n');
      expect(error.message).toMatch(/^n must be an integer from 1 to 3, got .+\.$/);
    }
  });

  it('leaves out a max that is only the safe-integer limit, adds what the number counts and the task', () => {
    const error = refusal(() => validateInteger('leaseMs', -1, { min: 1, what: 'ms', taskId: 't-1' }));
    expect(error.message).toBe('leaseMs must be an integer ≥ 1 (ms), got -1.');
    expect(error.taskId).toBe('t-1');
    expect(refusal(() => validateInteger('limit', 'ten', { min: 1, max: 1000 })).message).toBe(
      'limit must be an integer from 1 to 1000, got "ten".',
    );
  });
});

describe('validateOptionalInteger', () => {
  it('passes undefined through and checks anything else', () => {
    expect(validateOptionalInteger('n', undefined, { min: 1 })).toBeUndefined();
    expect(validateOptionalInteger('n', 2, { min: 1 })).toBe(2);
    expect(refusal(() => validateOptionalInteger('n', null, { min: 1 })).message).toBe(
      'n must be an integer ≥ 1, got null.',
    );
  });
});
