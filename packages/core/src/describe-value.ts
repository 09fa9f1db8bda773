/**
 * A short description of a bad input value for an error message: `null`, a number, a quoted string
 * (cut at 40 characters), `an array`, `a boolean`… @internal
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    // Array.isArray throws for a revoked Proxy.
    return 'a revoked Proxy';
  }
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `a ${typeof value}`;
}
