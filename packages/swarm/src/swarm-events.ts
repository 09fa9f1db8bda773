import type { LeaseLostError, Task, TokenUsage } from '@omc/core';

/**
 * What a swarm reports, as `swarm.on(type, listener)` events and through `swarm.events()`. `at` is the
 * swarm clock's time. For one task the order is `task:claimed`, then `task:started`, then one of
 * `task:completed`, `task:retried`, `task:failed`, `task:released` or `task:lease-lost` (a task claimed
 * ahead that never started goes straight from `task:claimed` to `task:released` or `task:lease-lost`).
 *
 * - `task:claimed`: a worker claimed the task (it may wait, claimed ahead, before it starts).
 * - `task:started`: the agent was called. The store's IN_PROGRESS write follows in the next grouped write
 *   (and is skipped for a task that finishes first: it goes from CLAIMED to COMPLETED).
 * - `task:completed`: the result is durable in the store (never sent before).
 * - `task:retried`: the attempt failed and the task is back in line, claimable from `runAt`.
 * - `task:failed`: the attempt failed and the task is FAILED for good (no attempts left).
 * - `task:released`: handed back unfinished (PENDING, attempt not counted): on shutdown, or claimed ahead
 *   by a worker that turned out busy with a slow task.
 * - `task:lease-lost`: the lease is gone (cancelled, timed out, expired, taken over); nothing was written.
 * - `task:reclaimed`: this swarm's upkeep settled expired leases (of any holder).
 * - `agent:idle`: a worker found nothing to claim and waits for a change.
 * - `swarm:drained`: with `stopWhenEmpty`, nothing is left that this swarm could run; it stops next.
 * - `swarm:stopped`: the last event of a run.
 *
 * ### Examples
 * ```ts
 * swarm.on('task:failed', (e) => console.error(`${e.worker}: ${e.task.title} failed: ${e.error}`));
 * ```
 */
export type SwarmEvent =
  | { type: 'task:claimed'; at: number; worker: string; task: Task }
  | { type: 'task:started'; at: number; worker: string; task: Task }
  | {
      type: 'task:completed';
      at: number;
      worker: string;
      task: Task;
      result?: string;
      durationMs: number;
      usage?: TokenUsage;
      costUsd?: number;
    }
  | { type: 'task:retried'; at: number; worker: string; task: Task; error: string; runAt: number }
  | { type: 'task:failed'; at: number; worker: string; task: Task; error: string }
  | { type: 'task:released'; at: number; worker: string; task: Task; reason: string }
  | { type: 'task:lease-lost'; at: number; worker: string; task: Task; error: LeaseLostError }
  | { type: 'task:reclaimed'; at: number; requeued: number; failed: number }
  | { type: 'agent:idle'; at: number; worker: string }
  | { type: 'swarm:drained'; at: number }
  | { type: 'swarm:stopped'; at: number; reason: 'drained' | 'stopped' };

/** The `type` of a {@link SwarmEvent}. */
export type SwarmEventType = SwarmEvent['type'];

/** The event of one type. */
export type SwarmEventOf<K extends SwarmEventType> = Extract<SwarmEvent, { type: K }>;
