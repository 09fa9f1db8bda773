/**
 * The listeners of a store's `onChange`, told once per burst that the store changed: every write of one
 * synchronous run shares one call, made after it (a microtask). A store calls {@link changed} after each
 * write, which costs one size check while nobody listens. `onFirst`/`onLast` let a store poll for other
 * processes' writes only while someone listens.
 *
 * ### Examples
 * ```ts
 * const listeners = new ChangeListeners();
 * const stop = listeners.subscribe(() => console.log('changed'));
 * listeners.changed();
 * listeners.changed(); // one call for both
 * stop();
 * ```
 */
export class ChangeListeners {
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private closed = false;

  /**
   * @param hooks `onFirst`/`onLast`: called when the first listener arrives and the last leaves;
   * `afterIo`: deliver after pending I/O callbacks too (`setImmediate`) rather than after the current
   * synchronous run (a microtask), so an asynchronous store's burst, whose writes finish on many
   * microtasks, still coalesces.
   */
  constructor(private readonly hooks: { onFirst?: () => void; onLast?: () => void; afterIo?: boolean } = {}) {}

  /** How many listeners there are. */
  get size(): number {
    return this.listeners.size;
  }

  /** Something changed: tell the listeners once, after the current synchronous work (and its burst) ends. */
  changed(): void {
    if (this.listeners.size === 0 || this.scheduled) return;
    this.scheduled = true;
    if (this.hooks.afterIo) setImmediate(this.deliver);
    else queueMicrotask(this.deliver);
  }

  /** Add a listener; the returned function removes it (twice is harmless, after close too). */
  subscribe(listener: () => void): () => void {
    // A wrapper per subscription, so one function subscribed twice needs two unsubscribes.
    const entry = () => listener();
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.hooks.onFirst?.();
    return () => {
      if (this.listeners.delete(entry) && this.listeners.size === 0) this.hooks.onLast?.();
    };
  }

  /** No call after this, not even one already scheduled. */
  close(): void {
    this.closed = true;
    if (this.listeners.size > 0) this.hooks.onLast?.();
    this.listeners.clear();
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
}
