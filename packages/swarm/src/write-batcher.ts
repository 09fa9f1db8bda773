import {
  type FailureOutcome,
  InvalidInputError,
  LeaseLostError as LeaseLost,
  type LeaseLostError,
  type LeaseWriteOutcome,
  type TaskStore,
  type TokenUsage,
} from '@omc/core';
import type { HeldTask } from './held-task.js';

/** A finished attempt waiting to be written. @internal */
export interface Completion {
  held: HeldTask;
  result: string | undefined;
  usage: TokenUsage | undefined;
  costUsd: number | undefined;
  durationMs: number;
}

interface Failure {
  held: HeldTask;
  error: string;
  durationMs: number;
}

interface Release {
  held: HeldTask;
  reason: string;
}

/** What happened to each write, reported back to the swarm run. @internal */
export interface WriteHandlers {
  completed(completion: Completion): void;
  failed(failure: { held: HeldTask; error: string; durationMs: number }, outcome: FailureOutcome): void;
  released(held: HeldTask, reason: string): void;
  /** A fenced write was refused: the lease is gone and nothing was written. */
  lost(held: HeldTask, error: LeaseLostError): void;
  /** A write kept failing (not a lease loss); the task is left to its lease's expiry. */
  abandoned(held: HeldTask, what: string, error: unknown): void;
  /** A write failed and will be retried. */
  warn(message: string): void;
  /** The batcher went idle (nothing buffered, in flight or waiting to retry). */
  idle(): void;
}

// The most completions in one transaction; bigger groups are split.
const MAX_GROUP = 512;
// A write that throws (not a lost lease) is retried after 100 ms, 200 ms, … and given up after this many tries.
const MAX_TRIES = 6;
const RETRY_BASE_MS = 100;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Groups the swarm's writes: starts and completions from all workers are buffered and written together,
 * once per event-loop turn (`setImmediate`) or as soon as the buffer is large, each group in one
 * `startTasks` / `completeTasks` call; failures and releases follow in the same flush. Flushes run one at a
 * time, so a task's start is always written before (or dropped in favour of) its completion. A completion
 * is reported (`completed`) only after the store returned, i.e. once it is durable.
 * @internal
 */
export class WriteBatcher {
  private starts = new Map<string, HeldTask>();
  private completions: Completion[] = [];
  private failures: Failure[] = [];
  private releases: Release[] = [];
  private readonly tries = new Map<string, number>();
  private retryTimers = new Set<ReturnType<typeof setTimeout>>();
  private flushing = false;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  /** Settles when what is buffered now has been written. */
  private open: Deferred | undefined;
  /** Settles when the flush in progress is done. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly store: TaskStore,
    private readonly handlers: WriteHandlers,
  ) {}

  /** Nothing buffered, being written, or waiting to be retried. */
  get idle(): boolean {
    return !this.flushing && !this.hasBuffered() && this.retryTimers.size === 0;
  }

  start(held: HeldTask): void {
    this.starts.set(held.id, held);
    this.schedule();
  }

  complete(completion: Completion): void {
    // Finished before its start was written: complete straight from CLAIMED, skip the start.
    this.starts.delete(completion.held.id);
    this.completions.push(completion);
    this.schedule();
  }

  fail(held: HeldTask, error: string, durationMs: number): void {
    this.starts.delete(held.id);
    this.failures.push({ held, error, durationMs });
    this.schedule();
  }

  release(held: HeldTask, reason: string): void {
    this.starts.delete(held.id);
    this.releases.push({ held, reason });
    this.schedule();
  }

  /** Forget a buffered start (the lease was lost: it would be refused anyway). */
  dropStart(held: HeldTask): void {
    this.starts.delete(held.id);
  }

  /**
   * Settles once everything buffered so far is written (or after the flush in flight, or after one turn
   * of the event loop when nothing is pending). Workers await it before claiming again: it paces them to
   * the store and lets timers and I/O run between batches.
   */
  flushed(): Promise<void> {
    if (this.hasBuffered()) {
      this.open ??= deferred();
      return this.open.promise;
    }
    if (this.inFlight) return this.inFlight;
    return new Promise((resolve) => setImmediate(resolve));
  }

  private hasBuffered(): boolean {
    return this.starts.size > 0 || this.completions.length > 0 || this.failures.length > 0 || this.releases.length > 0;
  }

  private schedule(): void {
    if (this.flushing) return; // the running flush schedules the next one for what arrived meanwhile
    if (this.completions.length >= MAX_GROUP) {
      queueMicrotask(() => void this.flush());
      return;
    }
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    const done = deferred();
    this.inFlight = done.promise;
    try {
      // One pass per flush: what arrives while it writes waits for the next one (a macrotask later), so
      // workers that keep finishing tasks during the writes fill one big group instead of many small ones
      // (looping here at once wrote groups of ~20 and the starts of tasks about to finish, measured).
      if (this.hasBuffered()) {
        const open = this.open;
        this.open = undefined;
        const starts = [...this.starts.values()];
        this.starts.clear();
        const completions = this.completions;
        const failures = this.failures;
        const releases = this.releases;
        this.completions = [];
        this.failures = [];
        this.releases = [];
        await this.writeStarts(starts);
        for (let i = 0; i < completions.length; i += MAX_GROUP) {
          await this.writeCompletions(completions.slice(i, i + MAX_GROUP));
        }
        for (const failure of failures) await this.writeFailure(failure);
        for (const release of releases) await this.writeRelease(release);
        open?.resolve();
      }
    } finally {
      this.flushing = false;
      this.inFlight = undefined;
      done.resolve();
      if (this.hasBuffered()) this.schedule();
      else if (this.idle) this.handlers.idle();
    }
  }

  private async writeStarts(starts: HeldTask[]): Promise<void> {
    const leases = starts.filter((held) => held.state === 'running');
    if (leases.length === 0) return;
    let outcomes: LeaseWriteOutcome[];
    try {
      outcomes = await this.store.startTasks(leases);
    } catch (error) {
      // Only the IN_PROGRESS status is lost: the tasks stay CLAIMED (leased) and complete from there.
      this.handlers.warn(`Could not mark ${leases.length} task(s) in progress: ${String(error)}`);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const held = leases[i] as HeldTask;
      if (!outcome.ok && held.live) this.handlers.lost(held, outcome.error);
    });
  }

  private async writeCompletions(group: Completion[]): Promise<void> {
    const live = group.filter((c) => c.held.state === 'finishing');
    if (live.length === 0) return;
    let outcomes: LeaseWriteOutcome[];
    try {
      outcomes = await this.store.completeTasks(live.map((c) => ({ lease: c.held, result: c.result })));
    } catch (error) {
      if (live.length > 1) {
        // One bad completion must not hold back the others: write them one by one to find it.
        for (const completion of live) await this.writeCompletions([completion]);
        return;
      }
      const completion = live[0] as Completion;
      if (InvalidInputError.isInstance(error)) {
        // The store refused the result itself (nothing was written): the attempt fails, saying why.
        await this.writeFailure({
          held: completion.held,
          error: `The store refused the result: ${error.message}`,
          durationMs: completion.durationMs,
        });
        return;
      }
      this.retryLater(completion.held, 'completion', error, () => this.completions.push(completion));
      return;
    }
    outcomes.forEach((outcome, i) => {
      const completion = live[i] as Completion;
      this.tries.delete(completion.held.id);
      if (outcome.ok) this.handlers.completed(completion);
      else this.handlers.lost(completion.held, outcome.error);
    });
  }

  private async writeFailure(failure: Failure): Promise<void> {
    const { held } = failure;
    if (held.state !== 'finishing') return;
    try {
      const outcome = await this.store.failTask(held, failure.error);
      this.tries.delete(held.id);
      this.handlers.failed(failure, outcome);
    } catch (error) {
      if (LeaseLost.isInstance(error)) this.handlers.lost(held, error);
      else this.retryLater(held, 'failure', error, () => this.failures.push(failure));
    }
  }

  private async writeRelease(release: Release): Promise<void> {
    const { held } = release;
    if (held.state === 'settled') return;
    try {
      await this.store.releaseTask(held, { reason: release.reason });
      this.tries.delete(held.id);
      this.handlers.released(held, release.reason);
    } catch (error) {
      if (LeaseLost.isInstance(error)) this.handlers.lost(held, error);
      else this.retryLater(held, 'release', error, () => this.releases.push(release));
    }
  }

  private retryLater(held: HeldTask, what: string, error: unknown, requeue: () => void): void {
    const tries = (this.tries.get(held.id) ?? 0) + 1;
    if (tries >= MAX_TRIES) {
      this.tries.delete(held.id);
      this.handlers.abandoned(held, what, error);
      return;
    }
    this.tries.set(held.id, tries);
    const delay = RETRY_BASE_MS * 2 ** (tries - 1);
    this.handlers.warn(
      `Could not write the ${what} of task ${held.id} (try ${tries}): ${String(error)}; retrying in ${delay} ms.`,
    );
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      requeue();
      this.schedule();
    }, delay);
    this.retryTimers.add(timer);
  }
}
