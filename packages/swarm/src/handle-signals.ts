import type { Swarm } from './swarm.js';

/** Which signals {@link handleSignals} listens to, and what to tell the user. */
export interface HandleSignalsOptions {
  /** Default `['SIGINT', 'SIGTERM']`. */
  signals?: readonly NodeJS.Signals[];
  /** Called on the first signal, before `stop()` (e.g. to print "stopping…"). */
  onSignal?: (signal: NodeJS.Signals) => void;
  /** Called if `stop()` rejects. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * Stop the swarm gracefully on the first SIGINT or SIGTERM. The handlers then remove themselves, so a
 * second signal gets Node's default behaviour (for SIGINT and SIGTERM: the process ends at once) unless
 * the app listens to it too; exiting on a second Ctrl-C is the app's choice. Returns a function that
 * removes the handlers.
 *
 * ### Examples
 * ```ts
 * const dispose = handleSignals(swarm, { onSignal: (s) => console.log(`${s}: finishing running tasks…`) });
 * await swarm.start();
 * dispose();
 * ```
 */
export function handleSignals(swarm: Pick<Swarm, 'stop'>, options: HandleSignalsOptions = {}): () => void {
  const signals = options.signals ?? (['SIGINT', 'SIGTERM'] as const);
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const dispose = () => {
    for (const signal of signals) process.off(signal, handler);
  };
  const handler = (signal: NodeJS.Signals) => {
    dispose();
    options.onSignal?.(signal);
    swarm.stop().catch(onError);
  };
  for (const signal of signals) process.on(signal, handler);
  return dispose;
}
