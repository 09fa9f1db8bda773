import type { TaskStore } from '@omc/core';
import { errorMessage } from './agent-output.js';
import type { DrainDetector } from './drain-detector.js';
import type { RunLifecycle } from './run-lifecycle.js';
import type { RunReporter } from './run-reporter.js';
import type { SwarmLogger } from './swarm-options.js';
import type { StatsRecorder } from './swarm-stats.js';
import type { WakeSignal } from './wake-signal.js';

/** What a run's upkeep works with. @internal */
export interface UpkeepParts {
  store: TaskStore;
  logger: SwarmLogger;
  stats: StatsRecorder;
  reporter: RunReporter;
  lifecycle: RunLifecycle;
  drain: DrainDetector;
  wake: WakeSignal;
  pollInterval: number;
}

/**
 * The run's poll timer. Each `pollInterval` it reclaims expired leases, reads the queue depth, lets a
 * `stopWhenEmpty` run see whether it is over, and wakes idle workers (the fallback when no signal came).
 * A lease that expired or timed out is reclaimed at once as well.
 * @internal
 */
export class Upkeep {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reclaimQueued = false;

  constructor(private readonly parts: UpkeepParts) {}

  async tick(): Promise<void> {
    const { lifecycle, drain, wake } = this.parts;
    this.timer = undefined;
    if (!lifecycle.accepting) return;
    await this.reclaim();
    await this.readQueueDepth();
    if (!lifecycle.accepting) return;
    // Everyone idle: see whether the run is over before waking them (waking makes them busy again).
    if (drain.due) await drain.check();
    if (!lifecycle.accepting) return;
    wake.changed(); // the fallback: look again even without a signal
    this.timer = setTimeout(() => void this.tick(), this.parts.pollInterval);
  }

  /** Refresh `stats().queueDepth` from the store. */
  async readQueueDepth(): Promise<void> {
    try {
      this.parts.stats.setQueueDepth(await this.parts.store.getStats());
    } catch (error) {
      this.parts.logger.warn(`Could not read the pool's stats: ${errorMessage(error)}`);
    }
  }

  /** Settle expired leases in the store soon (one reclaim settles every one: a batch needs one call). */
  reclaimSoon(): void {
    if (this.reclaimQueued) return;
    this.reclaimQueued = true;
    setImmediate(() => {
      this.reclaimQueued = false;
      if (this.parts.lifecycle.accepting) void this.reclaim();
    });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private async reclaim(): Promise<void> {
    try {
      const { requeued, failed } = await this.parts.store.reclaimExpired();
      if (requeued + failed > 0) this.parts.reporter.reclaimed(requeued, failed);
    } catch (error) {
      this.parts.logger.warn(`Could not reclaim expired leases: ${errorMessage(error)}`);
    }
  }
}
