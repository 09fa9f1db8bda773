import type { SwarmEvent, SwarmEventOf, SwarmEventType } from './swarm-events.js';

type Listener = (event: SwarmEvent) => void;

/**
 * The swarm's events: typed listeners, and async iterators that each keep their own queue so no event is
 * lost between two `next()` calls. An iterator ends after the next `swarm:stopped` event.
 * @internal
 */
export class EventHub {
  private readonly listeners = new Map<SwarmEventType, Set<Listener>>();
  private readonly queues = new Set<EventQueue>();

  constructor(private readonly onListenerError: (type: SwarmEventType, error: unknown) => void) {}

  /** Whether anyone would see an event of this type: skip building it otherwise (the hot path). */
  wants(type: SwarmEventType): boolean {
    return this.queues.size > 0 || (this.listeners.get(type)?.size ?? 0) > 0;
  }

  on<K extends SwarmEventType>(type: K, listener: (event: SwarmEventOf<K>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    // Wrapped so the same function registered twice is two subscriptions, each removed by its own handle.
    const wrapped: Listener = (event) => listener(event as SwarmEventOf<K>);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  emit(event: SwarmEvent): void {
    const set = this.listeners.get(event.type);
    if (set) {
      for (const listener of set) {
        try {
          listener(event);
        } catch (error) {
          // A broken listener must not break the swarm (the event came from inside a write's handling).
          this.onListenerError(event.type, error);
        }
      }
    }
    for (const queue of this.queues) queue.push(event);
    if (event.type === 'swarm:stopped') for (const queue of this.queues) queue.end();
  }

  iterate(signal?: AbortSignal): AsyncIterableIterator<SwarmEvent> {
    const queue = new EventQueue(() => this.queues.delete(queue));
    if (signal?.aborted) {
      queue.end();
      return queue;
    }
    this.queues.add(queue);
    signal?.addEventListener('abort', () => queue.end(), { once: true });
    return queue;
  }
}

/** One iterator's queue. @internal */
class EventQueue implements AsyncIterableIterator<SwarmEvent> {
  private items: SwarmEvent[] = [];
  private head = 0;
  private ended = false;
  private waiting: ((result: IteratorResult<SwarmEvent>) => void) | undefined;

  constructor(private readonly detach: () => void) {}

  push(event: SwarmEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    this.items.push(event);
  }

  /** No more events; the ones queued are still delivered. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<SwarmEvent>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++] as SwarmEvent;
      // Compact now and then rather than shifting (O(n)) on every read.
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<SwarmEvent>> {
    this.items = [];
    this.head = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<SwarmEvent> {
    return this;
  }
}
