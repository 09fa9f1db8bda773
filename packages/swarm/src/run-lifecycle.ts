import type { SwarmSummary } from './swarm-stats.js';

/** Where a run is: claiming (`running`), handing back and waiting (`stopping`), over (`stopped`). */
export type RunState = 'running' | 'stopping' | 'stopped';

/**
 * The state of one run and the promise `start()` returns. The shutdown sequence runs once, however often
 * `stop()` is called.
 * @internal
 */
export class RunLifecycle {
  state: RunState = 'running';
  /** Resolves with the run's summary once it has stopped. */
  readonly done: Promise<SwarmSummary>;
  private resolveDone!: (summary: SwarmSummary) => void;
  private stopping: Promise<void> | undefined;

  constructor() {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Still claiming (not stopping). */
  get accepting(): boolean {
    return this.state === 'running';
  }

  /** The run could not begin (e.g. a closed store): it is over before it started. */
  neverBegan(): void {
    this.state = 'stopped';
  }

  /** Enter `stopping` and run `shutdown`, the first time only; every call gets the same promise. */
  stop(shutdown: () => Promise<void>): Promise<void> {
    if (!this.stopping) {
      this.state = 'stopping';
      this.stopping = shutdown();
    }
    return this.stopping;
  }

  /** The shutdown sequence is over: `stopped`, then `announce` (the last event), then `start()` resolves. */
  finish(summary: SwarmSummary, announce: () => void): void {
    this.state = 'stopped';
    announce();
    this.resolveDone(summary);
  }
}
