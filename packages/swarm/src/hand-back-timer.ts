import type { HeldTask } from './held-task.js';
import type { RunLifecycle } from './run-lifecycle.js';
import type { Worker } from './worker.js';

// A worker busy this long (real ms) with a task while holding others claimed ahead hands them back.
const HOARD_MS = 25;

/**
 * Hands back what a worker claimed ahead once it has been busy with one task for `HOARD_MS` (25 ms), so idle
 * workers can take it: slow model calls are never hoarded. One timer for the run, armed when a worker
 * starts a task while holding others.
 * @internal
 */
export class HandBackTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly workers: readonly Worker[],
    private readonly lifecycle: RunLifecycle,
    private readonly release: (held: HeldTask, reason: string) => void,
  ) {}

  /** `worker` started a task: if it holds others, look at it again soon. */
  started(worker: Worker): void {
    if (worker.queue.length > 0 && !this.timer) this.timer = setTimeout(() => this.handBack(), HOARD_MS);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private handBack(): void {
    this.timer = undefined;
    if (!this.lifecycle.accepting) return;
    const now = performance.now();
    let again = false;
    for (const worker of this.workers) {
      const current = worker.current;
      if (!current || worker.queue.length === 0) continue;
      if (now - current.startedPerf < HOARD_MS) {
        again = true;
        continue;
      }
      worker.batchSize = 1;
      for (const held of worker.queue.splice(0)) {
        this.release(held, `claimed ahead by ${worker.name}, which is busy with a slow task`);
      }
    }
    if (again) this.timer = setTimeout(() => this.handBack(), HOARD_MS);
  }
}
