import { type Clock, InvalidInputError, MAX_CLAIM_BATCH, systemClock, validateOptionalInteger } from '@omc/core';

/** Where the swarm writes what it does; `console` fits. */
export interface SwarmLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** How a swarm is built. Every field is optional. */
export interface SwarmOptions {
  /** Where "now" comes from (event times, stats, lease and timeout decisions). Default: the wall clock. */
  clock?: Clock;
  /**
   * How long `stop()` lets running tasks finish before aborting them (and after a lost lease, how long a
   * worker waits for its aborted agent to return before moving on), in ms. Default 10 000.
   */
  graceMs?: number;
  /**
   * The most tasks one worker claims in one `claimTasks` call (1 to 1 000). Default 32. The batch is
   * adaptive: a worker claims one task at a time and doubles its batch, up to this, while its tasks finish
   * in a few ms; one slow task brings it back to 1. `1` turns claiming ahead off.
   */
  prefetch?: number;
  /** Where progress, warnings and the agents' `ctx.log` lines go. Default: nowhere. */
  logger?: SwarmLogger;
}

/** How one run of the swarm behaves. */
export interface SwarmStartOptions {
  /**
   * The most tasks running at once across all workers (an integer ≥ 1). Default: the number of workers
   * (it follows agents registered while running). It limits running tasks, not which agents may work.
   */
  maxConcurrency?: number;
  /**
   * How often (ms, an integer ≥ 1) the swarm looks at the store when no change signal arrives: idle workers
   * try to claim, expired leases are reclaimed, `queueDepth` is refreshed. Default 1000. New tasks wake idle
   * workers at once through the store's change signal, so this is only the fallback.
   */
  pollInterval?: number;
  /**
   * Stop by itself once nothing is left for this swarm: it holds nothing, the store has no CLAIMED or
   * IN_PROGRESS task (of anyone), and no PENDING task is claimable by one of its workers now or within
   * `horizonMs`. Tasks needing capabilities no worker has, or delayed past the horizon, do not keep it
   * alive (a warning counts them). Default `false`: run until `stop()`.
   */
  stopWhenEmpty?: boolean;
  /**
   * With `stopWhenEmpty`: a task delayed (or backing off before a retry) less than this far ahead keeps
   * the swarm running, in ms (an integer ≥ 0). Default 5 000, which covers the store's default retry
   * backoff (about 1 s, then 2 s).
   */
  horizonMs?: number;
}

/** @internal */
export interface ResolvedSwarmOptions {
  clock: Clock;
  graceMs: number;
  prefetch: number;
  logger: SwarmLogger;
}

/** @internal */
export interface ResolvedStartOptions {
  maxConcurrency: number | undefined;
  pollInterval: number;
  stopWhenEmpty: boolean;
  horizonMs: number;
}

const silent: SwarmLogger = { info() {}, warn() {} };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return `a ${typeof value}`;
}

function object(field: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) {
    throw new InvalidInputError(field, `${field} must be an options object, got ${describe(value)}.`);
  }
  return value as Record<string, unknown>;
}

/** @internal */
export function resolveSwarmOptions(options: unknown): ResolvedSwarmOptions {
  const raw = object('options', options);
  const clock = raw.clock ?? systemClock;
  if (typeof (clock as Clock).now !== 'function') {
    throw new InvalidInputError('clock', 'clock must have a now() method returning epoch milliseconds.');
  }
  const logger = raw.logger ?? silent;
  if (typeof (logger as SwarmLogger).info !== 'function' || typeof (logger as SwarmLogger).warn !== 'function') {
    throw new InvalidInputError('logger', 'logger must have info(message) and warn(message) methods (console fits).');
  }
  return {
    clock: clock as Clock,
    graceMs: resolveGraceMs(raw.graceMs, 10_000),
    prefetch: validateOptionalInteger('prefetch', raw.prefetch, { min: 1, max: MAX_CLAIM_BATCH }) ?? 32,
    logger: logger as SwarmLogger,
  };
}

/** @internal */
export function resolveGraceMs(value: unknown, fallback: number): number {
  return validateOptionalInteger('graceMs', value, { min: 0, max: 2_147_483_647 }) ?? fallback;
}

/** @internal */
export function resolveStartOptions(options: unknown): ResolvedStartOptions {
  const raw = object('options', options);
  if (raw.stopWhenEmpty !== undefined && typeof raw.stopWhenEmpty !== 'boolean') {
    throw new InvalidInputError(
      'stopWhenEmpty',
      `stopWhenEmpty must be a boolean, got ${describe(raw.stopWhenEmpty)}.`,
    );
  }
  return {
    maxConcurrency: validateOptionalInteger('maxConcurrency', raw.maxConcurrency, { min: 1 }),
    pollInterval: validateOptionalInteger('pollInterval', raw.pollInterval, { min: 1, max: 2_147_483_647 }) ?? 1000,
    stopWhenEmpty: raw.stopWhenEmpty === true,
    horizonMs: validateOptionalInteger('horizonMs', raw.horizonMs, { min: 0 }) ?? 5_000,
  };
}
