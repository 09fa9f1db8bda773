import { InvalidInputError, type ResolvedStoreOptions, resolveStoreOptions, validateOptionalInteger } from '@omc/core';
import { validateChangePollMs } from './input-checks.js';

/** The `synchronous` settings a pool accepts: both keep a committed write through a process crash. */
const SYNCHRONOUS_MODES = ['normal', 'full'] as const;

/** What `checkIntegrityOnOpen` accepts; `true` is `'quick'`. */
const INTEGRITY_ON_OPEN = [false, true, 'quick', 'full'] as const;

/** Longest busy timeout, in ms: what SQLite's `busy_timeout` (a C int) holds. */
const MAX_BUSY_TIMEOUT_MS = 2 ** 31 - 1;

/** `TaskPoolOptions` checked and completed with the defaults. @internal */
export interface ResolvedPoolOptions extends ResolvedStoreOptions {
  busyTimeoutMs: number;
  synchronous: (typeof SYNCHRONOUS_MODES)[number];
  changePollMs: number;
  readOnly: boolean;
  checkIntegrityOnOpen: false | 'quick' | 'full';
}

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * Check every `TaskPoolOptions` field before the pool opens its file, so a bad option is an
 * `InvalidInputError` naming it, never a driver error, a "cannot open" or a value pasted into a PRAGMA.
 *
 * ### Examples
 * ```ts
 * resolvePoolOptions({ synchronous: 'full' }).busyTimeoutMs; // 10000
 * resolvePoolOptions({ synchronous: 'off' }); // throws InvalidInputError (field 'synchronous')
 * ```
 * @internal
 */
export function resolvePoolOptions(options: unknown): ResolvedPoolOptions {
  const common = resolveStoreOptions(options);
  const raw = (options ?? {}) as Record<string, unknown>;
  const { synchronous = 'normal' } = raw;
  const busyTimeoutMs =
    validateOptionalInteger('busyTimeoutMs', raw.busyTimeoutMs, {
      min: 0,
      max: MAX_BUSY_TIMEOUT_MS,
      what: "ms to wait for another process's lock",
    }) ?? 10_000;
  // `off` would silently give up durability and `extra` is not a WAL setting; anything else is not a mode.
  if (!SYNCHRONOUS_MODES.includes(synchronous as ResolvedPoolOptions['synchronous'])) {
    throw new InvalidInputError('synchronous', `synchronous must be 'normal' or 'full', got ${shown(synchronous)}.`);
  }
  const { readOnly = false, checkIntegrityOnOpen = false } = raw;
  if (typeof readOnly !== 'boolean') {
    throw new InvalidInputError('readOnly', `readOnly must be true or false, got ${shown(readOnly)}.`);
  }
  if (!INTEGRITY_ON_OPEN.includes(checkIntegrityOnOpen as (typeof INTEGRITY_ON_OPEN)[number])) {
    throw new InvalidInputError(
      'checkIntegrityOnOpen',
      `checkIntegrityOnOpen must be true or 'quick' (PRAGMA quick_check), 'full' (integrity_check) or false, got ${shown(checkIntegrityOnOpen)}.`,
    );
  }
  return {
    ...common,
    readOnly,
    checkIntegrityOnOpen: checkIntegrityOnOpen === true ? 'quick' : (checkIntegrityOnOpen as 'quick' | 'full' | false),
    busyTimeoutMs,
    synchronous: synchronous as ResolvedPoolOptions['synchronous'],
    changePollMs: validateChangePollMs(raw.changePollMs),
  };
}
