import { type Clock, LeaseLostError, type TaskStore } from '@omc/core';
import type { HeldTask } from './held-task.js';

/** What the keeper needs from its swarm run. @internal */
export interface LeaseKeeperHost {
  readonly store: TaskStore;
  readonly clock: Clock;
  /** Every task held now. */
  held(): Iterable<HeldTask>;
  /** The lease is gone: abort, report, forget. */
  leaseLost(held: HeldTask, error: LeaseLostError): void;
  warn(message: string): void;
}

// Never sooner than this between two firings, so a clock that does not move (a FakeClock) cannot spin.
const MIN_DELAY_MS = 5;
const MAX_DELAY_MS = 2_147_483_647;
const RENEW_RETRY_MS = 1_000;

/**
 * One swarm-wide timer (not one per task) that keeps held tasks' leases alive and enforces timeouts. A
 * held task (running or claimed ahead) is renewed when a third of its lease is left; a running one also at
 * least every `checkMs`, because a heartbeat is where a cancellation is seen. At the attempt's deadline
 * the task is lost as `timed_out`.
 * @internal
 */
export class LeaseKeeper {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scheduledFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly host: LeaseKeeperHost,
    private readonly checkMs: number,
  ) {}

  /** A task was claimed or changed state: make sure the timer fires in time for it. */
  track(held: HeldTask): void {
    const due = this.dueAt(held);
    if (due < this.scheduledFor) this.schedule(due);
  }

  /** Renew now (`ctx.heartbeat()` and the timer). Rejects with `LeaseLostError` when the lease is gone. */
  async renew(held: HeldTask): Promise<void> {
    if (held.lostError) throw held.lostError;
    if (!held.live) return;
    const { store, clock } = this.host;
    held.renewing = true;
    try {
      const { leaseExpiresAt } = await store.heartbeat(held);
      held.leaseExpiresAt = leaseExpiresAt;
      held.renewedAt = clock.now();
    } catch (error) {
      if (LeaseLostError.isInstance(error)) {
        // A task whose result is being written learns of a loss from that write instead.
        if (held.live) this.host.leaseLost(held, error);
      } else {
        held.retryRenewAt = clock.now() + RENEW_RETRY_MS;
      }
      throw error;
    } finally {
      held.renewing = false;
      if (held.live) this.track(held);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dueAt(held: HeldTask): number {
    if (!held.live || held.renewing) return Number.POSITIVE_INFINITY;
    const deadline = held.deadline ?? Number.POSITIVE_INFINITY;
    // A lease already reaching the deadline cannot be extended; the deadline governs.
    let renewAt = held.leaseExpiresAt >= deadline ? Number.POSITIVE_INFINITY : held.leaseExpiresAt - held.leaseMs / 3;
    if (held.state === 'running') renewAt = Math.min(renewAt, held.renewedAt + this.checkMs);
    return Math.min(deadline, Math.max(renewAt, held.retryRenewAt));
  }

  private schedule(due: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.scheduledFor = due;
    const delay = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, due - this.host.clock.now()));
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    this.scheduledFor = Number.POSITIVE_INFINITY;
    const now = this.host.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const held of [...this.host.held()]) {
      if (!held.live) continue;
      if (held.deadline !== undefined && now >= held.deadline) {
        const { task } = held;
        this.host.leaseLost(
          held,
          new LeaseLostError(
            task.id,
            'timed_out',
            task.status,
            `Task ${task.id} timed out: attempt ${task.attempts} passed its ${task.timeoutMs} ms limit; the swarm aborted it and wrote nothing.`,
          ),
        );
        continue;
      }
      const due = this.dueAt(held);
      if (due <= now) {
        this.renew(held).catch((error: unknown) => {
          if (!LeaseLostError.isInstance(error)) {
            this.host.warn(`Could not renew the lease on task ${held.id}: ${String(error)}; retrying in 1 s.`);
          }
        });
        continue; // renew() re-tracks it when it returns
      }
      next = Math.min(next, due);
    }
    if (next < Number.POSITIVE_INFINITY) this.schedule(next);
  }
}
