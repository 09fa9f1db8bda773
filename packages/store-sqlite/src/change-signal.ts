import { ChangeListeners } from '@omc/core';

/**
 * The pool's `onChange`: listeners told, once per burst, that the pool changed. Writes through the pool
 * call {@link ChangeSignal.changed}, which costs one size check while nobody listens; writes by other
 * connections (other processes, other pools on the file) are seen by reading `PRAGMA data_version`,
 * which SQLite bumps whenever another connection commits, every `pollMs` while anyone listens. The
 * timer is unref'd (it never keeps a process alive) and runs only while there are listeners.
 * @internal
 */
export class ChangeSignal {
  private readonly listeners = new ChangeListeners({
    onFirst: () => this.startPolling(),
    onLast: () => this.stopPolling(),
  });
  private timer: ReturnType<typeof setInterval> | undefined;
  private seenVersion = 0;

  /**
   * @param dataVersion Reads `PRAGMA data_version`; `undefined` for an in-memory pool, which no other
   * connection can write.
   */
  constructor(
    private readonly dataVersion: (() => number) | undefined,
    private readonly pollMs: number,
  ) {}

  /** Something changed: tell the listeners once, after the current synchronous work (and its burst) ends. */
  changed(): void {
    this.listeners.changed();
  }

  /** Add a listener; the returned function removes it (twice is harmless, after close too). */
  subscribe(listener: () => void): () => void {
    return this.listeners.subscribe(listener);
  }

  /** No call after this, not even one already scheduled; the timer stops (with the last listener). */
  close(): void {
    this.listeners.close();
  }

  private startPolling(): void {
    if (this.timer !== undefined || this.dataVersion === undefined) return;
    this.seenVersion = this.dataVersion();
    this.timer = setInterval(this.poll, this.pollMs);
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private readonly poll = (): void => {
    let version: number;
    try {
      version = (this.dataVersion as () => number)();
    } catch {
      // A busy or failing read says nothing about changes; the next tick reads again.
      return;
    }
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.changed();
  };
}
