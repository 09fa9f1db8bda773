import type { Clock, TaskStore } from '@omc/core';
import { errorMessage } from './agent-output.js';
import { type DrainVerdict, drainVerdict } from './drain-check.js';
import type { RunLifecycle } from './run-lifecycle.js';
import type { ResolvedStartOptions, SwarmLogger } from './swarm-options.js';
import type { WakeSignal } from './wake-signal.js';
import type { Worker } from './worker.js';

/** What a drain detector looks at, and whom it tells. @internal */
export interface DrainDetectorParts {
  store: TaskStore;
  clock: Clock;
  logger: SwarmLogger;
  start: ResolvedStartOptions;
  lifecycle: RunLifecycle;
  workers: readonly Worker[];
  wake: WakeSignal;
  /** Nothing held, claimed or being written, and every worker waiting for work. */
  quiet: () => boolean;
  /** Nothing is left for this swarm: stop the run. */
  drained: () => void;
}

/**
 * Decides when a `stopWhenEmpty` run is over. Whenever the run is quiet it asks the store
 * ({@link drainVerdict}), one check at a time; a verdict of "claimable" wakes the workers (or sets a wake-up
 * for when the task becomes due), and a change while it looked means looking again later.
 * @internal
 */
export class DrainDetector {
  private checking = false;
  private again = false;
  private lastVerdictClaimable = false;
  private lastVerdictAt = 0;
  private claimsSinceVerdict = 0;

  constructor(private readonly parts: DrainDetectorParts) {}

  /** Workers claimed `count` tasks: a "claimable" verdict was right. */
  claimed(count: number): void {
    this.claimsSinceVerdict += count;
  }

  /** Quiet, no check running, and the run stops when empty: the poll tick may check now. */
  get due(): boolean {
    return this.parts.start.stopWhenEmpty && !this.checking && this.parts.quiet();
  }

  /** Something settled or a worker went idle: check soon (unless a recent verdict says not yet). */
  request(): void {
    const { start, lifecycle } = this.parts;
    if (!start.stopWhenEmpty || !lifecycle.accepting) return;
    // The last check saw a claimable task the workers then could not claim (e.g. store and swarm clocks
    // disagree): look again at the poll rate rather than spin.
    if (
      this.lastVerdictClaimable &&
      this.claimsSinceVerdict === 0 &&
      performance.now() - this.lastVerdictAt < start.pollInterval
    ) {
      return;
    }
    if (this.checking) {
      this.again = true;
      return;
    }
    void this.check();
  }

  async check(): Promise<void> {
    const { store, clock, logger, start, lifecycle, workers, wake, quiet } = this.parts;
    this.checking = true;
    try {
      do {
        this.again = false;
        if (!quiet()) return;
        const changes = wake.changes;
        const now = clock.now();
        const claimOptions = workers.map((worker) => worker.claimOptions);
        let verdict: DrainVerdict;
        try {
          verdict = await drainVerdict(store, claimOptions, now, start.horizonMs);
        } catch (error) {
          logger.warn(`Could not check whether the pool is empty: ${errorMessage(error)}`);
          return;
        }
        if (!lifecycle.accepting) return;
        if (!verdict.drained) {
          if (verdict.reason === 'claimable') {
            if (verdict.wakeAt !== undefined) {
              wake.at(verdict.wakeAt);
            } else {
              if (!this.lastVerdictClaimable || this.claimsSinceVerdict > 0) wake.changed();
              this.lastVerdictClaimable = true;
              this.lastVerdictAt = performance.now();
              this.claimsSinceVerdict = 0;
            }
          }
          continue;
        }
        // Something moved while we looked: the woken workers will ask again once idle.
        if (changes !== wake.changes || !quiet()) continue;
        const { capabilities: c, delayed, dependencies } = verdict.left;
        const left = c + delayed + dependencies;
        if (left > 0) {
          logger.warn(
            `stopWhenEmpty: stopping with ${left} pending task(s) this swarm cannot run: ${c} require capabilities no registered agent has, ${delayed} are delayed more than ${start.horizonMs} ms ahead, ${dependencies} wait for dependencies that cannot complete here.`,
          );
        }
        this.parts.drained();
        return;
      } while (this.again);
    } finally {
      this.checking = false;
    }
  }
}
