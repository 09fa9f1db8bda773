import type { Clock } from '@omc/core';
import type { RunLifecycle } from './run-lifecycle.js';
import type { Worker } from './worker.js';

/**
 * Wakes a run's idle workers: when the store signals a change (this process at once, another through the
 * store's signal), at each poll tick, and when something becomes due (a delayed task, a retry). It counts
 * the changes, so a worker whose claim found nothing looks again if one came meanwhile.
 * @internal
 */
export class WakeSignal {
  /** Changes seen (store signals, poll ticks, due times). */
  changes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly workers: readonly Worker[],
    private readonly clock: Clock,
    private readonly lifecycle: RunLifecycle,
    /** Called after waking the workers at a due time. */
    private readonly onDue: () => void,
  ) {}

  /** Something may have changed: wake the workers waiting for work. */
  changed(): void {
    this.changes++;
    for (const worker of this.workers) if (worker.waiting) worker.wake();
  }

  /** Wake idle workers at `time` (a delayed task or a retry becomes due). */
  at(time: number): void {
    if (!this.lifecycle.accepting || time >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = time;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        if (this.lifecycle.accepting) {
          this.changed();
          this.onDue();
        }
      },
      Math.min(2_147_483_647, Math.max(1, time - this.clock.now())),
    );
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
