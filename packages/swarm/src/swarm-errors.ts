import { InvalidInputError, OmcError, type OmcErrorCode } from '@omc/core';

/**
 * The swarm was asked to do something its state does not allow: `start()` while it runs, or with no
 * agent registered. Nothing was changed. Code `OMC_SWARM_STATE`.
 *
 * ### Examples
 * ```ts
 * try { await swarm.start(); }
 * catch (e) { if (SwarmStateError.isInstance(e)) console.error(e.message); }
 * ```
 */
export class SwarmStateError extends OmcError {
  constructor(message: string) {
    super('OMC_SWARM_STATE', message);
  }
  static override isInstance(error: unknown): error is SwarmStateError {
    return OmcError.isInstance(error) && error.code === 'OMC_SWARM_STATE';
  }
}

const UNSUPPORTED_STORE: OmcErrorCode = 'OMC_UNSUPPORTED_STORE';

/**
 * `new Swarm(store)` was handed a store implementing a version of the `TaskStore` contract this swarm
 * does not support (code `OMC_UNSUPPORTED_STORE`): `found` is the store's `specificationVersion`,
 * `supported` the versions this swarm accepts (`SUPPORTED_STORE_SPECIFICATION_VERSIONS`). Nothing was
 * started. It extends `InvalidInputError` (`field: 'store'`), which the swarm threw before it had this
 * error, so `instanceof InvalidInputError` still holds; `InvalidInputError.isInstance` checks the code, so
 * it does not.
 *
 * ### Examples
 * ```ts
 * try { new Swarm(store); }
 * catch (e) { if (UnsupportedStoreError.isInstance(e)) console.error(e.found, e.supported, e.message); }
 * ```
 */
export class UnsupportedStoreError extends InvalidInputError {
  /** The store's `specificationVersion` (`undefined` when it has none). */
  readonly found: unknown;
  /** The contract versions this swarm supports. */
  readonly supported: readonly string[];

  constructor(found: unknown, supported: readonly string[]) {
    const versions = supported.join(', ');
    const implemented =
      typeof found === 'string'
        ? `implements ${found}`
        : found === undefined
          ? 'has no specificationVersion'
          : `has specificationVersion ${String(found)}`;
    super(
      'store',
      `The swarm supports TaskStore contract ${versions}, but this store ${implemented}. Use a store package built for ${supported.length === 1 ? 'that version' : 'one of them'}: upgrade the store package if it is older, or @omc/swarm if the store is newer.`,
    );
    (this as { code: OmcErrorCode }).code = UNSUPPORTED_STORE;
    this.found = found;
    this.supported = supported;
  }

  static override isInstance(error: unknown): error is UnsupportedStoreError {
    return OmcError.isInstance(error) && error.code === UNSUPPORTED_STORE;
  }
}

/** Why the swarm stopped an attempt on its own: the task's timeout ran out, or shutdown passed its grace period. */
export type AttemptAbortReason = 'timed_out' | 'shutdown';

/**
 * The `signal.reason` of an attempt the swarm stopped: `reason: 'timed_out'` when the task's `timeoutMs`
 * ran out (the store then retries or fails the task), `'shutdown'` when the swarm stopped and the task
 * did not finish within the grace period (it was handed back: PENDING, the attempt not counted).
 * A cancelled task or a lost lease aborts with the `LeaseLostError` instead. Code `OMC_ATTEMPT_ABORTED`.
 *
 * ### Examples
 * ```ts
 * if (AttemptAbortedError.isInstance(ctx.signal.reason) && ctx.signal.reason.reason === 'shutdown') {
 *   await saveProgress();
 * }
 * ```
 */
export class AttemptAbortedError extends OmcError {
  readonly reason: AttemptAbortReason;
  constructor(taskId: string, reason: AttemptAbortReason, message: string, options?: { cause?: unknown }) {
    super('OMC_ATTEMPT_ABORTED', message, { taskId, cause: options?.cause });
    this.reason = reason;
  }
  static override isInstance(error: unknown): error is AttemptAbortedError {
    return OmcError.isInstance(error) && error.code === 'OMC_ATTEMPT_ABORTED';
  }
}

/** @internal */
export function shutdownAbort(taskId: string, graceMs: number): AttemptAbortedError {
  return new AttemptAbortedError(
    taskId,
    'shutdown',
    `The swarm is stopping and task ${taskId} did not finish within the ${graceMs} ms grace period; it was handed back to the pool. Stop working on it.`,
  );
}
