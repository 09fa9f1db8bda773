import type { Clock, LeaseLostError, Task, TaskStore } from '@omc/core';
import { errorMessage } from './agent-output.js';
import { DrainDetector } from './drain-detector.js';
import type { EventHub } from './event-hub.js';
import { HandBackTimer } from './hand-back-timer.js';
import { HeldTask } from './held-task.js';
import { HeldTasks } from './held-tasks.js';
import { LeaseKeeper, type LeaseKeeperHost } from './lease-keeper.js';
import { RunLifecycle, type RunState } from './run-lifecycle.js';
import { RunReporter } from './run-reporter.js';
import { Semaphore } from './semaphore.js';
import { AttemptAbortedError, shutdownAbort } from './swarm-errors.js';
import type { ResolvedStartOptions, ResolvedSwarmOptions, SwarmLogger } from './swarm-options.js';
import type { StatsRecorder, SwarmSummary } from './swarm-stats.js';
import { Upkeep } from './upkeep.js';
import { WakeSignal } from './wake-signal.js';
import type { Worker, WorkerRuntime } from './worker.js';
import { type Completion, WriteBatcher, type WriteHandlers } from './write-batcher.js';

// A running task is heartbeated at least this often (and at least every pollInterval): where a
// cancellation is seen.
const MIN_CHECK_MS = 1_000;

/** What a run shares with its swarm. @internal */
export interface RunContext {
  store: TaskStore;
  options: ResolvedSwarmOptions;
  start: ResolvedStartOptions;
  hub: EventHub;
  stats: StatsRecorder;
  workers: readonly Worker[];
}

/**
 * One `start()` … stop of a swarm, put together from its parts: the workers' loops run against it (it is
 * their {@link WorkerRuntime}), the {@link WriteBatcher} writes, the {@link LeaseKeeper} renews, the
 * {@link WakeSignal} wakes idle workers, {@link Upkeep} polls, the {@link DrainDetector} ends a
 * `stopWhenEmpty` run, the {@link HandBackTimer} returns what a busy worker claimed ahead, and the
 * {@link RunReporter} turns it all into stats and events. It keeps the shutdown sequence.
 * @internal
 */
export class SwarmRun implements WorkerRuntime, LeaseKeeperHost {
  readonly store: TaskStore;
  readonly clock: Clock;
  readonly logger: SwarmLogger;
  readonly prefetch: number;
  readonly semaphore: Semaphore;
  private readonly lifecycle = new RunLifecycle();
  private readonly tasks = new HeldTasks();
  private readonly workers: Worker[] = [];
  private readonly reporter: RunReporter;
  private readonly batcher: WriteBatcher;
  private readonly keeper: LeaseKeeper;
  private readonly wake: WakeSignal;
  private readonly drain: DrainDetector;
  private readonly upkeep: Upkeep;
  private readonly handBack: HandBackTimer;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: RunContext) {
    const { store, options, start, hub, stats } = ctx;
    this.store = store;
    this.clock = options.clock;
    this.logger = options.logger;
    this.prefetch = options.prefetch;
    this.semaphore = new Semaphore(start.maxConcurrency ?? ctx.workers.length);
    const { lifecycle, workers } = this;
    this.reporter = new RunReporter(hub, stats, this.clock, this.logger);
    this.keeper = new LeaseKeeper(this, Math.max(MIN_CHECK_MS, start.pollInterval));
    this.batcher = new WriteBatcher(store, this.writeHandlers());
    this.wake = new WakeSignal(workers, this.clock, lifecycle, () => this.drain.request());
    this.drain = new DrainDetector({
      store,
      clock: this.clock,
      logger: this.logger,
      start,
      lifecycle,
      workers,
      wake: this.wake,
      quiet: () => this.quiet(),
      drained: () => {
        this.reporter.drained();
        void this.stop(options.graceMs, 'drained');
      },
    });
    this.upkeep = new Upkeep({
      store,
      logger: this.logger,
      stats,
      reporter: this.reporter,
      lifecycle,
      drain: this.drain,
      wake: this.wake,
      pollInterval: start.pollInterval,
    });
    this.handBack = new HandBackTimer(workers, lifecycle, (held, reason) => this.release(held, reason));
  }

  get state(): RunState {
    return this.lifecycle.state;
  }

  /** Resolves with the summary once the run has stopped. */
  get done(): Promise<SwarmSummary> {
    return this.lifecycle.done;
  }

  get accepting(): boolean {
    return this.lifecycle.accepting;
  }

  get changes(): number {
    return this.wake.changes;
  }

  begin(): void {
    const { stats, start } = this.ctx;
    stats.reset(
      this.ctx.workers.map((w) => w.name),
      this.clock.now(),
    );
    try {
      this.unsubscribe = this.store.onChange(() => this.wake.changed());
    } catch (error) {
      this.lifecycle.neverBegan(); // e.g. a closed store
      throw error;
    }
    const concurrency = start.maxConcurrency ?? `${this.ctx.workers.length} (one per worker)`;
    this.logger.info(
      `Swarm started: ${this.ctx.workers.length} worker(s), maxConcurrency ${concurrency}, pollInterval ${start.pollInterval} ms${start.stopWhenEmpty ? ', stops when empty' : ''}.`,
    );
    for (const worker of this.ctx.workers) this.launch(worker);
    void this.upkeep.tick();
  }

  /** A worker registered while running joins at once. */
  launch(worker: Worker): void {
    this.workers.push(worker);
    if (this.ctx.start.maxConcurrency === undefined) this.semaphore.setLimit(this.workers.length);
    this.ctx.stats.worker(worker.name);
    worker.run(this).catch((error: unknown) => {
      this.logger.warn(`${worker.name} stopped on an unexpected error: ${errorMessage(error)}`);
    });
  }

  // ── WorkerRuntime and LeaseKeeperHost ────────────────────────────────────────────────────────

  held(): Iterable<HeldTask> {
    return this.tasks.values();
  }

  hold(tasks: Task[], worker: Worker): HeldTask[] {
    const now = this.clock.now();
    this.drain.claimed(tasks.length);
    const held = tasks.map((task) => {
      const h = new HeldTask(task, worker.name, now);
      this.tasks.add(h);
      this.keeper.track(h);
      return h;
    });
    this.reporter.claimed(held, now);
    return held;
  }

  claimStarted(): void {
    this.tasks.claimStarted();
  }

  claimEnded(): void {
    this.tasks.claimEnded();
  }

  started(held: HeldTask, worker: Worker): void {
    this.batcher.start(held);
    this.keeper.track(held);
    this.reporter.started(held);
    this.handBack.started(worker);
  }

  complete(completion: Completion): void {
    this.batcher.complete(completion);
  }

  fail(held: HeldTask, error: string, durationMs: number): void {
    this.batcher.fail(held, error, durationMs);
  }

  release(held: HeldTask, reason: string): void {
    if (!held.live) return;
    held.state = 'finishing';
    this.batcher.release(held, reason);
  }

  flushed(): Promise<void> {
    return this.batcher.flushed();
  }

  idle(worker: Worker): void {
    this.reporter.idle(worker);
    this.drain.request();
  }

  heartbeat(held: HeldTask): Promise<void> {
    return this.keeper.renew(held);
  }

  executed(held: HeldTask, busyMs: number): void {
    this.reporter.executed(held, busyMs);
  }

  leaseLost(held: HeldTask, error: LeaseLostError): void {
    if (held.state === 'settled') return;
    const wasRunning = held.state === 'running';
    held.lostError = error;
    this.batcher.dropStart(held);
    this.tasks.settle(held);
    this.reporter.leaseLost(held, error);
    if (wasRunning) {
      // A timeout is the swarm's own decision (an OMC_ATTEMPT_ABORTED); any other loss is the store's word.
      held.abort(
        error.reason === 'timed_out'
          ? new AttemptAbortedError(held.id, 'timed_out', error.message, { cause: error })
          : error,
      );
      // Give the agent the grace period to notice and return before its worker moves on without it.
      this.tasks.detachLater(held, this.ctx.options.graceMs);
    }
    // A timed-out or expired lease: settle it in the store now (retry or fail) rather than at the next claim.
    if (error.reason === 'timed_out' || error.reason === 'expired') this.upkeep.reclaimSoon();
  }

  warn(message: string): void {
    this.logger.warn(message);
  }

  // ── Parts ────────────────────────────────────────────────────────────────────────────────────

  /** Nothing held, claimed, being written, and every worker waiting for work. */
  private quiet(): boolean {
    return (
      this.tasks.size === 0 &&
      !this.tasks.claiming &&
      this.batcher.idle &&
      this.workers.every((worker) => worker.waiting)
    );
  }

  /** What the write batcher reports: the task is settled, then counted and announced. */
  private writeHandlers(): WriteHandlers {
    return {
      completed: (completion) => {
        this.tasks.settle(completion.held);
        this.reporter.completed(completion);
      },
      failed: ({ held, error }, outcome) => {
        this.tasks.settle(held);
        const runAt = this.reporter.failed(held, error, outcome);
        if (runAt !== undefined) this.wake.at(runAt);
      },
      released: (held, reason) => {
        this.tasks.settle(held);
        this.reporter.released(held, reason);
      },
      lost: (held, error) => this.leaseLost(held, error),
      abandoned: (held, what, error) => {
        this.tasks.settle(held);
        this.reporter.abandoned(held, what, error);
      },
      warn: (message) => this.logger.warn(message),
      idle: () => {
        this.tasks.notify();
        this.drain.request();
      },
    };
  }

  // ── Shutdown ─────────────────────────────────────────────────────────────────────────────────

  stop(graceMs: number, reason: 'drained' | 'stopped'): Promise<void> {
    return this.lifecycle.stop(() => this.shutdown(graceMs, reason));
  }

  private async shutdown(graceMs: number, reason: 'drained' | 'stopped'): Promise<void> {
    const { tasks } = this;
    this.upkeep.stop();
    this.wake.stop();
    this.handBack.stop();
    this.semaphore.abortWaiters();
    for (const worker of this.workers) {
      worker.wake();
      for (const held of worker.queue.splice(0))
        this.release(held, 'the swarm is stopping; claimed ahead, not started');
    }
    if (tasks.running().length > 0) {
      this.logger.info(`Stopping: waiting up to ${graceMs} ms for ${tasks.running().length} running task(s).`);
      await tasks.waitFor(() => tasks.running().length === 0, graceMs);
    }
    for (const held of [...tasks.values()]) {
      if (held.state === 'running') {
        held.state = 'finishing';
        held.abort(shutdownAbort(held.id, graceMs));
        this.batcher.release(held, `the swarm stopped; not finished within the ${graceMs} ms grace period`);
        held.detach?.({ kind: 'detached' });
      } else if (held.state === 'queued') {
        this.release(held, 'the swarm is stopping; claimed ahead, not started');
      }
    }
    tasks.detachLost();
    await tasks.waitFor(() => tasks.size === 0 && !tasks.claiming && this.batcher.idle);
    this.unsubscribe?.();
    this.keeper.stop();
    // Every write has landed: read the queue once more, so the summary says what is left, not what the
    // last poll tick saw (often everything still pending).
    await this.upkeep.readQueueDepth();
    const { stats } = this.ctx;
    const at = this.clock.now();
    stats.stoppedAt = at;
    const summary: SwarmSummary = { ...stats.snapshot(at), reason };
    this.lifecycle.finish(summary, () => this.reporter.stopped(summary, at));
  }
}
