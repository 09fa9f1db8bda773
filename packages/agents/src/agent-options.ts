import { InvalidInputError, validateCapabilities } from '@omc/core';

/** Check an agent's name and capabilities; returns them frozen. @internal */
export function checkIdentity(
  kind: string,
  name: unknown,
  capabilities: unknown,
): { name: string; capabilities: readonly string[] } {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidInputError('name', `A ${kind} needs a non-empty name (the swarm names its workers <name>-<n>).`);
  }
  const checked = validateCapabilities('capabilities', capabilities === undefined ? [] : capabilities) ?? [];
  return { name, capabilities: Object.freeze([...checked]) };
}

/** A value named in an error message, short. @internal */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
