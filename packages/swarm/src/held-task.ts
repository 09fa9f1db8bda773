import { attemptDeadline, type LeaseLostError, type Task, type TaskLease } from '@omc/core';

/**
 * Where a held task is:
 * - `queued`: claimed ahead, waiting for its worker;
 * - `running`: the agent is working on it;
 * - `finishing`: its result or failure is buffered or being written;
 * - `settled`: written, handed back, or its lease lost; the swarm no longer holds it.
 */
export type HeldState = 'queued' | 'running' | 'finishing' | 'settled';

/** How an agent's call ended, or that the worker stopped waiting for it. @internal */
export type ExecutionEnd =
  | { kind: 'returned'; output: unknown }
  | { kind: 'threw'; error: unknown }
  | { kind: 'detached' };

/**
 * A task this swarm holds under lease: the lease to present (it is a {@link TaskLease}), when to renew it
 * and when the attempt times out.
 * @internal
 */
export class HeldTask implements TaskLease {
  readonly id: string;
  readonly leaseToken: number;
  state: HeldState = 'queued';
  /** When the lease ends unless renewed (swarm clock). */
  leaseExpiresAt: number;
  /** The lease length the store grants, to renew when a third of it is left. */
  readonly leaseMs: number;
  /** When the attempt must stop (`timeoutMs` from the claim), if it has a timeout. */
  readonly deadline: number | undefined;
  /** Last successful renewal (or the claim). */
  renewedAt: number;
  /** A renewal is in flight. */
  renewing = false;
  /** After a failed renewal (not a lost lease): do not try again before this. */
  retryRenewAt = 0;
  /** Created when the agent first reads `ctx.signal` (most fast agents never do). */
  private controller: AbortController | undefined;
  private abortReason: unknown;
  aborted = false;
  /** Swarm-clock time the agent was called. */
  startedAt = 0;
  /** `performance.now()` when the agent was called (adaptive batching works on real time). */
  startedPerf = 0;
  /** Set while running: stops the worker waiting for the agent (shutdown after grace, lost lease). */
  detach: ((end: ExecutionEnd) => void) | undefined;
  lostError: LeaseLostError | undefined;

  constructor(
    readonly task: Task,
    /** The worker that claimed it (`executor-2`). */
    readonly workerName: string,
    now: number,
  ) {
    this.id = task.id;
    this.leaseToken = task.leaseToken;
    this.leaseExpiresAt = task.leaseExpiresAt ?? Number.POSITIVE_INFINITY;
    const claimedAt = task.startedAt ?? now;
    this.leaseMs = task.leaseMs ?? Math.max(1, this.leaseExpiresAt - claimedAt);
    this.deadline = attemptDeadline(task);
    this.renewedAt = now;
  }

  /** The attempt's signal; already aborted when read after {@link abort}. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Abort the attempt (once; the first reason stays). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** Still held: queued or running (not yet handed to a write, not lost). */
  get live(): boolean {
    return this.state === 'queued' || this.state === 'running';
  }
}
