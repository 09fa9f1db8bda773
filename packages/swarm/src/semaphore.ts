/**
 * Counts running tasks against `maxConcurrency`. FIFO: a waiting worker gets the next free slot.
 * @internal
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<(granted: boolean) => void> = [];

  constructor(private limit: number) {}

  /** Take a slot if one is free, without waiting. */
  tryAcquire(): boolean {
    if (this.active >= this.limit || this.waiters.length > 0) return false;
    this.active++;
    return true;
  }

  /** Wait for a slot: `true` once held, `false` when {@link abortWaiters} gave up on the wait. */
  acquire(): Promise<boolean> {
    if (this.tryAcquire()) return Promise.resolve(true);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.active--;
    this.grant();
  }

  /** Change the limit (the default `maxConcurrency` follows the number of workers). */
  setLimit(limit: number): void {
    this.limit = limit;
    this.grant();
  }

  /** Wake every waiter without a slot (shutdown). */
  abortWaiters(): void {
    for (const resolve of this.waiters.splice(0)) resolve(false);
  }

  private grant(): void {
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()?.(true);
    }
  }
}
