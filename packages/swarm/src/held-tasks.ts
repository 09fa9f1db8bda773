import type { HeldTask } from './held-task.js';

/**
 * What one run holds: its held tasks by id, the claims in flight, the running tasks whose lease was lost
 * (their agents get the grace period to return), and waits for any of that to change.
 * @internal
 */
export class HeldTasks {
  private readonly byId = new Map<string, HeldTask>();
  private readonly lostRunning = new Set<HeldTask>();
  private readonly waiters = new Set<() => void>();
  private claimsInFlight = 0;

  /** How many tasks are held. */
  get size(): number {
    return this.byId.size;
  }

  /** A claim was sent to the store and has not returned. */
  get claiming(): boolean {
    return this.claimsInFlight > 0;
  }

  values(): IterableIterator<HeldTask> {
    return this.byId.values();
  }

  /** The held tasks whose agent is working now. */
  running(): HeldTask[] {
    return [...this.byId.values()].filter((held) => held.state === 'running');
  }

  add(held: HeldTask): void {
    this.byId.set(held.id, held);
  }

  /** Written, handed back or lost: no longer held. */
  settle(held: HeldTask): void {
    held.state = 'settled';
    this.byId.delete(held.id);
    this.notify();
  }

  claimStarted(): void {
    this.claimsInFlight++;
  }

  claimEnded(): void {
    this.claimsInFlight--;
    this.notify();
  }

  /** A running task lost its lease: its worker moves on without the agent after `graceMs`. */
  detachLater(held: HeldTask, graceMs: number): void {
    this.lostRunning.add(held);
    const timer = setTimeout(() => {
      this.lostRunning.delete(held);
      held.detach?.({ kind: 'detached' });
    }, graceMs);
    timer.unref?.();
  }

  /** Shutdown: stop waiting for the agents of lost tasks at once. */
  detachLost(): void {
    for (const held of this.lostRunning) held.detach?.({ kind: 'detached' });
    this.lostRunning.clear();
  }

  /** Something held changed: look at every pending {@link waitFor}. */
  notify(): void {
    for (const check of [...this.waiters]) check();
  }

  /** Settles once `condition` holds (checked at every {@link notify}), or after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs?: number): Promise<void> {
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
