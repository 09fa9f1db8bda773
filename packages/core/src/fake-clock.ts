import type { Clock } from './clock.js';

/**
 * A clock that moves only when told. Makes time-dependent behaviour testable without sleeping.
 *
 * ### Examples
 * ```ts
 * const clock = new FakeClock(1_000);
 * clock.advance(500);
 * clock.now(); // 1500
 * ```
 */
export class FakeClock implements Clock {
  private current: number;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  /** Move forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }
  /** Jump to an absolute time (it may go backwards, as wall clocks do). */
  set(time: number): void {
    this.current = time;
  }
}
