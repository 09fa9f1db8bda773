/**
 * The pool's `onChange`: listeners told, once per burst, that the pool changed. Writes through the pool
 * call {@link ChangeSignal.changed}, which costs one size check while nobody listens; writes by other
 * connections (other processes, other pools on the file) are seen by reading `PRAGMA data_version`,
 * which SQLite bumps whenever another connection commits, every `pollMs` while anyone listens. The
 * timer is unref'd (it never keeps a process alive) and runs only while there are listeners.
 * @internal
 */
export class ChangeSignal {
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private closed = false;
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
    if (this.listeners.size === 0 || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.deliver);
  }

  /** Add a listener; the returned function removes it (twice is harmless, after close too). */
  subscribe(listener: () => void): () => void {
    // A wrapper per subscription, so one function subscribed twice needs two unsubscribes.
    const entry = () => listener();
    this.listeners.add(entry);
    this.startPolling();
    return () => {
      if (this.listeners.delete(entry) && this.listeners.size === 0) this.stopPolling();
    };
  }

  /** No call after this, not even one already scheduled; the timer stops. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.stopPolling();
  }

  private readonly deliver = (): void => {
    this.scheduled = false;
    if (this.closed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        // One faulty listener must not starve the others; its error still surfaces, uncaught.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  private startPolling(): void {
    if (this.timer !== undefined || this.dataVersion === undefined || this.closed) return;
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
