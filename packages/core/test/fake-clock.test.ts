import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { FakeClock } from '../src/fake-clock.js';
import { MemoryTaskStore } from '../src/memory-task-store.js';

describe('FakeClock', () => {
  it('moves only when told, forwards or backwards', () => {
    const clock = new FakeClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    clock.set(10);
    expect(clock.now()).toBe(10);
  });

  it('starts at 2026-01-01 by default', () => {
    expect(new FakeClock().now()).toBe(Date.UTC(2026, 0, 1));
  });
});

describe('MemoryTaskStore defaults', () => {
  it('reads the system clock when none is given', () => {
    const before = Date.now();
    const task = new MemoryTaskStore().createTask({ title: 't', description: 'd' });
    expect(task.createdAt).toBeGreaterThanOrEqual(before);
    expect(task.createdAt).toBeLessThanOrEqual(systemClock.now());
  });
});
