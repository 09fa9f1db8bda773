import { type Clock, type FailureOutcome, type LeaseLostError, type Task, TaskStatus, type TaskStore } from '@omc/core';
import { errorMessage } from './agent-output.js';
import { drainVerdict } from './drain-check.js';
import type { EventHub } from './event-hub.js';
import { HeldTask } from './held-task.js';
import { LeaseKeeper, type LeaseKeeperHost } from './lease-keeper.js';
import { Semaphore } from './semaphore.js';
import { AttemptAbortedError, shutdownAbort } from './swarm-errors.js';
import type { SwarmEventOf } from './swarm-events.js';
import type { ResolvedStartOptions, ResolvedSwarmOptions, SwarmLogger } from './swarm-options.js';
import type { StatsRecorder, SwarmSummary } from './swarm-stats.js';
import type { Worker, WorkerRuntime } from './worker.js';
import { type Completion, WriteBatcher, type WriteHandlers } from './write-batcher.js';

// A worker busy this long (real ms) with a task while holding others claimed ahead hands them back.
const HOARD_MS = 25;
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
 * One `start()` … stop of a swarm: the workers' loops, the grouped writes, the lease keeper, the wake-up
 * signal and the poll timer, and the shutdown sequence.
 * @internal
 */
export class SwarmRun implements WorkerRuntime, LeaseKeeperHost {
  state: 'running' | 'stopping' | 'stopped' = 'running';
  readonly store: TaskStore;
  readonly clock: Clock;
  readonly logger: SwarmLogger;
  readonly prefetch: number;
  readonly semaphore: Semaphore;
  readonly batcher: WriteBatcher;
  readonly keeper: LeaseKeeper;
  readonly done: Promise<SwarmSummary>;
  changes = 0;
  private readonly heldTasks = new Map<string, HeldTask>();
  private readonly workers: Worker[] = [];
  private readonly lostRunning = new Set<HeldTask>();
  private readonly waiters = new Set<() => void>();
  private claimsInFlight = 0;
  private unsubscribe: (() => void) | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeTimerAt = Number.POSITIVE_INFINITY;
  private hoardTimer: ReturnType<typeof setTimeout> | undefined;
  private stopping: Promise<void> | undefined;
  private resolveDone!: (summary: SwarmSummary) => void;
  private reclaimQueued = false;
  private checkingDrain = false;
  private drainAgain = false;
  private lastVerdictClaimable = false;
  private lastVerdictAt = 0;
  private claimsSinceVerdict = 0;

  constructor(private readonly ctx: RunContext) {
    this.store = ctx.store;
    this.clock = ctx.options.clock;
    this.logger = ctx.options.logger;
    this.prefetch = ctx.options.prefetch;
    this.semaphore = new Semaphore(ctx.start.maxConcurrency ?? ctx.workers.length);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.keeper = new LeaseKeeper(this, Math.max(MIN_CHECK_MS, ctx.start.pollInterval));
    this.batcher = new WriteBatcher(this.store, this.writeHandlers());
  }

  get accepting(): boolean {
    return this.state === 'running';
  }

  begin(): void {
    const { stats, start } = this.ctx;
    stats.reset(
      this.ctx.workers.map((w) => w.name),
      this.clock.now(),
    );
    try {
      this.unsubscribe = this.store.onChange(() => this.changed());
    } catch (error) {
      this.state = 'stopped'; // e.g. a closed store: the run never began
      throw error;
    }
    const concurrency = start.maxConcurrency ?? `${this.ctx.workers.length} (one per worker)`;
    this.logger.info(
      `Swarm started: ${this.ctx.workers.length} worker(s), maxConcurrency ${concurrency}, pollInterval ${start.pollInterval} ms${start.stopWhenEmpty ? ', stops when empty' : ''}.`,
    );
    for (const worker of this.ctx.workers) this.launch(worker);
    void this.tick();
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

  // ── WorkerRuntime ────────────────────────────────────────────────────────────────────────────

  held(): Iterable<HeldTask> {
    return this.heldTasks.values();
  }

  hold(tasks: Task[], worker: Worker): HeldTask[] {
    const now = this.clock.now();
    const { hub, stats } = this.ctx;
    const wantEvent = hub.wants('task:claimed');
    stats.claimed += tasks.length;
    this.claimsSinceVerdict += tasks.length;
    return tasks.map((task) => {
      const held = new HeldTask(task, worker.name, now);
      this.heldTasks.set(held.id, held);
      this.keeper.track(held);
      if (wantEvent) hub.emit({ type: 'task:claimed', at: now, worker: worker.name, task });
      return held;
    });
  }

  claimStarted(): void {
    this.claimsInFlight++;
  }

  claimEnded(): void {
    this.claimsInFlight--;
    this.notify();
  }

  started(held: HeldTask, worker: Worker): void {
    this.batcher.start(held);
    this.keeper.track(held);
    const { hub } = this.ctx;
    if (hub.wants('task:started')) {
      hub.emit({ type: 'task:started', at: held.startedAt, worker: held.workerName, task: held.task });
    }
    if (worker.queue.length > 0 && !this.hoardTimer) {
      this.hoardTimer = setTimeout(() => this.handBackHoarded(), HOARD_MS);
    }
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
    if (!worker.announcedIdle) {
      worker.announcedIdle = true;
      const { hub } = this.ctx;
      if (hub.wants('agent:idle')) hub.emit({ type: 'agent:idle', at: this.clock.now(), worker: worker.name });
    }
    this.requestDrainCheck();
  }

  heartbeat(held: HeldTask): Promise<void> {
    return this.keeper.renew(held);
  }

  executed(held: HeldTask, busyMs: number): void {
    this.ctx.stats.worker(held.workerName).busyMs += busyMs;
  }

  leaseLost(held: HeldTask, error: LeaseLostError): void {
    if (held.state === 'settled') return;
    const wasRunning = held.state === 'running';
    held.lostError = error;
    this.batcher.dropStart(held);
    this.settle(held);
    const { hub, stats } = this.ctx;
    stats.leaseLost++;
    stats.worker(held.workerName).leaseLost++;
    if (hub.wants('task:lease-lost')) {
      hub.emit({ type: 'task:lease-lost', at: this.clock.now(), worker: held.workerName, task: held.task, error });
    }
    if (wasRunning) {
      // A timeout is the swarm's own decision (an OMC_ATTEMPT_ABORTED); any other loss is the store's word.
      held.abort(
        error.reason === 'timed_out'
          ? new AttemptAbortedError(held.id, 'timed_out', error.message, { cause: error })
          : error,
      );
      // Give the agent the grace period to notice and return before its worker moves on without it.
      this.lostRunning.add(held);
      const timer = setTimeout(() => {
        this.lostRunning.delete(held);
        held.detach?.({ kind: 'detached' });
      }, this.ctx.options.graceMs);
      timer.unref?.();
    }
    // A timed-out or expired lease: settle it in the store now (retry or fail) rather than at the next claim.
    if (error.reason === 'timed_out' || error.reason === 'expired') this.reclaimSoon();
  }

  warn(message: string): void {
    this.logger.warn(message);
  }

  // ── Store signals, polling, draining ─────────────────────────────────────────────────────────

  /** The store changed (this process at once, another through the store's signal): wake idle workers. */
  private changed(): void {
    this.changes++;
    for (const worker of this.workers) if (worker.waiting) worker.wake();
  }

  private async tick(): Promise<void> {
    this.pollTimer = undefined;
    if (this.state !== 'running') return;
    await this.reclaim();
    await this.readQueueDepth();
    if (this.state !== 'running') return;
    // Everyone idle: see whether the run is over before waking them (waking makes them busy again).
    if (this.ctx.start.stopWhenEmpty && !this.checkingDrain && this.quiet()) await this.checkDrain();
    if (this.state !== 'running') return;
    this.changed(); // the fallback: look again even without a signal
    this.pollTimer = setTimeout(() => void this.tick(), this.ctx.start.pollInterval);
  }

  private async readQueueDepth(): Promise<void> {
    try {
      this.ctx.stats.setQueueDepth(await this.store.getStats());
    } catch (error) {
      this.logger.warn(`Could not read the pool's stats: ${errorMessage(error)}`);
    }
  }

  private async reclaim(): Promise<void> {
    try {
      const { requeued, failed } = await this.store.reclaimExpired();
      if (requeued + failed > 0) {
        this.ctx.stats.reclaimed += requeued + failed;
        const { hub } = this.ctx;
        if (hub.wants('task:reclaimed')) hub.emit({ type: 'task:reclaimed', at: this.clock.now(), requeued, failed });
      }
    } catch (error) {
      this.logger.warn(`Could not reclaim expired leases: ${errorMessage(error)}`);
    }
  }

  private reclaimSoon(): void {
    // One reclaim settles every expired lease: a batch of tasks that timed out together needs one.
    if (this.reclaimQueued) return;
    this.reclaimQueued = true;
    setImmediate(() => {
      this.reclaimQueued = false;
      if (this.state === 'running') void this.reclaim();
    });
  }

  /** Wake idle workers at `time` (a delayed task or a retry becomes due). */
  private wakeAt(time: number): void {
    if (this.state !== 'running' || time >= this.wakeTimerAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimerAt = time;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeTimerAt = Number.POSITIVE_INFINITY;
        if (this.state === 'running') {
          this.changed();
          this.requestDrainCheck();
        }
      },
      Math.min(2_147_483_647, Math.max(1, time - this.clock.now())),
    );
  }

  /** Nothing held, claimed, being written, and every worker waiting for work. */
  private quiet(): boolean {
    return (
      this.heldTasks.size === 0 &&
      this.claimsInFlight === 0 &&
      this.batcher.idle &&
      this.workers.every((worker) => worker.waiting)
    );
  }

  private requestDrainCheck(): void {
    if (!this.ctx.start.stopWhenEmpty || this.state !== 'running') return;
    // The last check saw a claimable task the workers then could not claim (e.g. store and swarm clocks
    // disagree): look again at the poll rate rather than spin.
    if (
      this.lastVerdictClaimable &&
      this.claimsSinceVerdict === 0 &&
      performance.now() - this.lastVerdictAt < this.ctx.start.pollInterval
    ) {
      return;
    }
    if (this.checkingDrain) {
      this.drainAgain = true;
      return;
    }
    void this.checkDrain();
  }

  private async checkDrain(): Promise<void> {
    this.checkingDrain = true;
    try {
      do {
        this.drainAgain = false;
        if (!this.quiet()) return;
        const changes = this.changes;
        const now = this.clock.now();
        const claimOptions = this.workers.map((worker) => worker.claimOptions);
        let verdict: Awaited<ReturnType<typeof drainVerdict>>;
        try {
          verdict = await drainVerdict(this.store, claimOptions, now, this.ctx.start.horizonMs);
        } catch (error) {
          this.logger.warn(`Could not check whether the pool is empty: ${errorMessage(error)}`);
          return;
        }
        if (this.state !== 'running') return;
        if (!verdict.drained) {
          if (verdict.reason === 'claimable') {
            if (verdict.wakeAt !== undefined) {
              this.wakeAt(verdict.wakeAt);
            } else {
              if (!this.lastVerdictClaimable || this.claimsSinceVerdict > 0) this.changed();
              this.lastVerdictClaimable = true;
              this.lastVerdictAt = performance.now();
              this.claimsSinceVerdict = 0;
            }
          }
          continue;
        }
        // Something moved while we looked: the woken workers will ask again once idle.
        if (changes !== this.changes || !this.quiet()) continue;
        const { capabilities: c, delayed, dependencies } = verdict.left;
        const left = c + delayed + dependencies;
        if (left > 0) {
          this.logger.warn(
            `stopWhenEmpty: stopping with ${left} pending task(s) this swarm cannot run: ${c} require capabilities no registered agent has, ${delayed} are delayed more than ${this.ctx.start.horizonMs} ms ahead, ${dependencies} wait for dependencies that cannot complete here.`,
          );
        }
        this.ctx.hub.emit({ type: 'swarm:drained', at: this.clock.now() });
        void this.stop(this.ctx.options.graceMs, 'drained');
        return;
      } while (this.drainAgain);
    } finally {
      this.checkingDrain = false;
    }
  }

  /** A worker busy with a slow task hands back what it claimed ahead, so idle workers can take it. */
  private handBackHoarded(): void {
    this.hoardTimer = undefined;
    if (this.state !== 'running') return;
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
    if (again) this.hoardTimer = setTimeout(() => this.handBackHoarded(), HOARD_MS);
  }

  // ── Writes ───────────────────────────────────────────────────────────────────────────────────

  private settle(held: HeldTask): void {
    held.state = 'settled';
    this.heldTasks.delete(held.id);
    this.notify();
  }

  private writeHandlers(): WriteHandlers {
    return {
      completed: (c: Completion) => {
        const { held } = c;
        this.settle(held);
        const { hub, stats } = this.ctx;
        const worker = stats.worker(held.workerName);
        stats.completed++;
        worker.completed++;
        if (c.usage || c.costUsd !== undefined) stats.recordUsage(worker, c.usage, c.costUsd);
        if (hub.wants('task:completed')) {
          const event: SwarmEventOf<'task:completed'> = {
            type: 'task:completed',
            at: this.clock.now(),
            worker: held.workerName,
            task: held.task,
            durationMs: c.durationMs,
          };
          if (c.result !== undefined) event.result = c.result;
          if (c.usage) event.usage = c.usage;
          if (c.costUsd !== undefined) event.costUsd = c.costUsd;
          hub.emit(event);
        }
      },
      failed: ({ held, error }, outcome: FailureOutcome) => {
        this.settle(held);
        const { hub, stats } = this.ctx;
        const worker = stats.worker(held.workerName);
        const at = this.clock.now();
        if (outcome.status === TaskStatus.PENDING) {
          stats.retried++;
          worker.retried++;
          const runAt = outcome.runAt ?? at;
          hub.emit({ type: 'task:retried', at, worker: held.workerName, task: held.task, error, runAt });
          this.wakeAt(runAt);
        } else {
          stats.failed++;
          worker.failed++;
          hub.emit({ type: 'task:failed', at, worker: held.workerName, task: held.task, error });
        }
      },
      released: (held, reason) => {
        this.settle(held);
        const { hub, stats } = this.ctx;
        stats.released++;
        stats.worker(held.workerName).released++;
        if (hub.wants('task:released')) {
          hub.emit({ type: 'task:released', at: this.clock.now(), worker: held.workerName, task: held.task, reason });
        }
      },
      lost: (held, error) => this.leaseLost(held, error),
      abandoned: (held, what, error) => {
        this.settle(held);
        this.logger.warn(
          `Gave up writing the ${what} of task ${held.id}: ${errorMessage(error)}. Its lease will expire and the store will put it back in line.`,
        );
      },
      warn: (message) => this.logger.warn(message),
      idle: () => {
        this.notify();
        this.requestDrainCheck();
      },
    };
  }

  // ── Shutdown ─────────────────────────────────────────────────────────────────────────────────

  stop(graceMs: number, reason: 'drained' | 'stopped'): Promise<void> {
    this.stopping ??= this.shutdown(graceMs, reason);
    return this.stopping;
  }

  private async shutdown(graceMs: number, reason: 'drained' | 'stopped'): Promise<void> {
    this.state = 'stopping';
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.hoardTimer) clearTimeout(this.hoardTimer);
    this.semaphore.abortWaiters();
    for (const worker of this.workers) {
      worker.wake();
      for (const held of worker.queue.splice(0))
        this.release(held, 'the swarm is stopping; claimed ahead, not started');
    }
    const running = () => [...this.heldTasks.values()].filter((held) => held.state === 'running');
    if (running().length > 0) {
      this.logger.info(`Stopping: waiting up to ${graceMs} ms for ${running().length} running task(s).`);
      await this.waitFor(() => running().length === 0, graceMs);
    }
    for (const held of [...this.heldTasks.values()]) {
      if (held.state === 'running') {
        held.state = 'finishing';
        held.abort(shutdownAbort(held.id, graceMs));
        this.batcher.release(held, `the swarm stopped; not finished within the ${graceMs} ms grace period`);
        held.detach?.({ kind: 'detached' });
      } else if (held.state === 'queued') {
        this.release(held, 'the swarm is stopping; claimed ahead, not started');
      }
    }
    for (const held of this.lostRunning) held.detach?.({ kind: 'detached' });
    this.lostRunning.clear();
    await this.waitFor(() => this.heldTasks.size === 0 && this.claimsInFlight === 0 && this.batcher.idle);
    this.unsubscribe?.();
    this.keeper.stop();
    const { stats, hub } = this.ctx;
    // Every write has landed: read the queue once more, so the summary says what is left, not what the
    // last poll tick saw (often everything still pending).
    await this.readQueueDepth();
    this.state = 'stopped';
    const at = this.clock.now();
    stats.stoppedAt = at;
    const summary: SwarmSummary = { ...stats.snapshot(at), reason };
    this.logger.info(
      `Swarm stopped (${reason}): ${summary.completed} completed, ${summary.failed} failed, ${summary.retried} retried, ${summary.released} released in ${summary.elapsedMs} ms.`,
    );
    hub.emit({ type: 'swarm:stopped', at, reason });
    this.resolveDone(summary);
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }

  /** Settles once `condition` holds (checked at every change of what this run holds), or after `timeoutMs`. */
  private waitFor(condition: () => boolean, timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (condition()) finish();
      };
      if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}
