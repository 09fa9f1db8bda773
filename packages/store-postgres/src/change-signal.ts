import { ChangeListeners } from '@omc/core';
import type { ChangeSignalDriver } from '@omc/core/driver';
import { NotifyListener, type NotifyListenerOptions } from './notify-listener.js';

/** How the signal LISTENs for other processes' writes (see {@link NotifyListener}). @internal */
export type ChangeNotifyOptions = Omit<NotifyListenerOptions, 'onChange' | 'pollMs' | 'poll'>;

/**
 * Where other processes' writes are seen from: `read` returns a value that changes whenever someone
 * writes (compared as text). The polling signal below reads it; a LISTEN/NOTIFY signal can replace the
 * whole class behind the same {@link ChangeSignalDriver}.
 * @internal
 */
export interface ChangeProbe {
  read(): Promise<string | undefined>;
}

/** A pause in local writes this long ends a burst: the listeners are told. */
const QUIET_MS = 5;
/** A burst that never pauses is still told this soon after its first write. */
const MAX_BURST_MS = 50;

/**
 * The pool's `onChange`: writes through this pool call {@link PollingChangeSignal.changed} and are
 * signalled within a few ms (once per burst); writes by other connections are seen by
 * reading the probe every `pollMs` while anyone listens. The timer is unref'd and runs only while there
 * are listeners. A change is signalled again on the tick after it was seen, since the probe can move
 * (a sequence is bumped) just before the write it announces commits. With `notify`, other processes'
 * writes arrive by LISTEN/NOTIFY instead, and the probe is read only while notifications are unavailable.
 * @internal
 */
export class PollingChangeSignal implements ChangeSignalDriver {
  private readonly listeners = new ChangeListeners({
    afterIo: true,
    onFirst: () => (this.notify ? this.notify.start() : this.startPolling()),
    onLast: () => (this.notify ? this.notify.stop() : this.stopPolling()),
  });
  private readonly notify: NotifyListener | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private seen: string | undefined;
  private echo = false;
  private reading = false;
  private burst: ReturnType<typeof setTimeout> | undefined;
  private burstStart = 0;

  constructor(
    private readonly probe: ChangeProbe,
    private readonly pollMs: number,
    notify?: ChangeNotifyOptions,
  ) {
    if (notify === undefined) return;
    this.notify = new NotifyListener({
      ...notify,
      pollMs,
      poll: () => probe.read(),
      onChange: () => this.changed(),
    });
  }

  /**
   * Something changed through this pool: the listeners are told once the pool's writes pause for
   * {@link QUIET_MS} (at most {@link MAX_BURST_MS} after the first), once for the whole burst. An
   * asynchronous pool's burst (say a hundred creates issued at once) finishes over many network round
   * trips, too far apart for a microtask or one turn of the event loop to join them.
   */
  changed(): void {
    if (this.listeners.size === 0) return;
    const now = Date.now();
    if (this.burst === undefined) this.burstStart = now;
    else clearTimeout(this.burst);
    const wait = Math.min(QUIET_MS, Math.max(0, this.burstStart + MAX_BURST_MS - now));
    this.burst = setTimeout(this.endBurst, wait);
    this.burst.unref();
  }

  private readonly endBurst = (): void => {
    this.burst = undefined;
    this.listeners.changed();
  };

  subscribe(listener: () => void): () => void {
    return this.listeners.subscribe(listener);
  }

  close(): void {
    this.listeners.close();
    this.stopPolling();
    if (this.burst !== undefined) clearTimeout(this.burst);
    this.burst = undefined;
    void this.notify?.close();
  }

  private startPolling(): void {
    if (this.timer !== undefined) return;
    this.seen = undefined;
    this.timer = setInterval(this.poll, this.pollMs);
    this.timer.unref();
    this.poll();
  }

  private stopPolling(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private readonly poll = (): void => {
    if (this.reading) return;
    this.reading = true;
    this.probe.read().then(
      (value) => {
        this.reading = false;
        if (value === undefined || this.timer === undefined) return;
        const first = this.seen === undefined;
        const moved = !first && value !== this.seen;
        this.seen = value;
        if (moved || this.echo) this.changed();
        this.echo = moved;
      },
      () => {
        // A failed read says nothing about changes (the server may be restarting); the next tick reads again.
        this.reading = false;
      },
    );
  };
}
