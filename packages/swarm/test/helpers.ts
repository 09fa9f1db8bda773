import type { Agent, AgentContext, AgentOutput, Task, TaskStore } from '@omc/core';
import { FakeClock, MemoryTaskStore } from '@omc/core/testing';
import { vi } from 'vitest';
import type { Swarm, SwarmEvent } from '../src/index.js';

/** An agent from a function. */
export function agent(
  name: string,
  execute: (task: Task, ctx: AgentContext) => Promise<AgentOutput> | AgentOutput,
  capabilities?: string[],
): Agent {
  return { name, capabilities, execute: async (task, ctx) => execute(task, ctx) };
}

/** A no-op agent. */
export const noop = (name = 'noop', capabilities?: string[]): Agent => agent(name, () => 'ok', capabilities);

/** A promise and its resolver. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Wait `ms` of real time. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Turns of the event loop (real `setImmediate`, which fake timers leave alone) until `condition` holds. */
export async function until(condition: () => boolean, what = 'the condition', turns = 2_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Every event of a swarm, in order. */
export function record(swarm: Swarm): SwarmEvent[] {
  const events: SwarmEvent[] = [];
  const types: SwarmEvent['type'][] = [
    'task:claimed',
    'task:started',
    'task:completed',
    'task:retried',
    'task:failed',
    'task:released',
    'task:lease-lost',
    'task:reclaimed',
    'agent:idle',
    'swarm:drained',
    'swarm:stopped',
  ];
  for (const type of types) swarm.on(type, (event) => events.push(event));
  return events;
}

/** The event types of one task, in order. */
export function taskTrail(events: SwarmEvent[], id: string): string[] {
  return events.filter((e) => 'task' in e && e.task.id === id).map((e) => e.type);
}

/**
 * Fake time for one test: a FakeClock for the store and the swarm, and faked timers that move with it
 * (`setImmediate` stays real: the swarm's grouped writes run on it).
 */
export function fakeTime() {
  const clock = new FakeClock();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  return {
    clock,
    /** Move the clock and the timers forward together, in steps so timers see the time they expect. */
    async advance(ms: number, step = 100): Promise<void> {
      for (let done = 0; done < ms; ) {
        const d = Math.min(step, ms - done);
        clock.advance(d);
        await vi.advanceTimersByTimeAsync(d);
        done += d;
      }
      // Let the grouped writes (real setImmediate) run.
      for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    },
    restore: () => vi.useRealTimers(),
  };
}

/** A memory store. */
export function memoryStore(options: ConstructorParameters<typeof MemoryTaskStore>[0] = {}): MemoryTaskStore {
  return new MemoryTaskStore(options);
}

/** How many of the store's tasks have each status. */
export async function statuses(store: TaskStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const task of await store.getTasks()) counts[task.status] = (counts[task.status] ?? 0) + 1;
  return counts;
}

/** A logger that keeps its lines. */
export function memoryLogger() {
  const info: string[] = [];
  const warn: string[] = [];
  return { info: (m: string) => info.push(m), warn: (m: string) => warn.push(m), lines: { info, warn } };
}
