import { type Clock, type FailureOutcome, type LeaseLostError, TaskStatus } from '@omc/core';
import { errorMessage } from './agent-output.js';
import type { EventHub } from './event-hub.js';
import type { HeldTask } from './held-task.js';
import type { SwarmEventOf } from './swarm-events.js';
import type { SwarmLogger } from './swarm-options.js';
import type { StatsRecorder, SwarmSummary } from './swarm-stats.js';
import type { Worker } from './worker.js';
import type { Completion } from './write-batcher.js';

/**
 * Turns what happens to a run's tasks (claims, starts, write outcomes, lost leases, upkeep) into its
 * counters and events. An event nobody listens to is not built (the hot path).
 * @internal
 */
export class RunReporter {
  constructor(
    private readonly hub: EventHub,
    private readonly stats: StatsRecorder,
    private readonly clock: Clock,
    private readonly logger: SwarmLogger,
  ) {}

  claimed(held: readonly HeldTask[], now: number): void {
    this.stats.claimed += held.length;
    if (!this.hub.wants('task:claimed')) return;
    for (const h of held) this.hub.emit({ type: 'task:claimed', at: now, worker: h.workerName, task: h.task });
  }

  started(held: HeldTask): void {
    if (this.hub.wants('task:started')) {
      this.hub.emit({ type: 'task:started', at: held.startedAt, worker: held.workerName, task: held.task });
    }
  }

  /** `agent:idle`, once per stretch without work. */
  idle(worker: Worker): void {
    if (worker.announcedIdle) return;
    worker.announcedIdle = true;
    if (this.hub.wants('agent:idle')) this.hub.emit({ type: 'agent:idle', at: this.clock.now(), worker: worker.name });
  }

  executed(held: HeldTask, busyMs: number): void {
    this.stats.worker(held.workerName).busyMs += busyMs;
  }

  completed(c: Completion): void {
    const { held } = c;
    const { hub, stats } = this;
    const worker = stats.worker(held.workerName);
    stats.completed++;
    worker.completed++;
    if (c.usage || c.costUsd !== undefined) stats.recordUsage(worker, c.usage, c.costUsd);
    if (hub.wants('task:completed')) {
      const event: SwarmEventOf<'task:completed'> = {
        type: 'task:completed',
        at: this.clock.now(),
        worker: held.workerName,
        task: held.task,
        durationMs: c.durationMs,
      };
      if (c.result !== undefined) event.result = c.result;
      if (c.usage) event.usage = c.usage;
      if (c.costUsd !== undefined) event.costUsd = c.costUsd;
      hub.emit(event);
    }
  }

  /** A written failure: retried (returns when it is due again) or failed for good (returns undefined). */
  failed(held: HeldTask, error: string, outcome: FailureOutcome): number | undefined {
    const { hub, stats } = this;
    const worker = stats.worker(held.workerName);
    const at = this.clock.now();
    if (outcome.status === TaskStatus.PENDING) {
      stats.retried++;
      worker.retried++;
      const runAt = outcome.runAt ?? at;
      hub.emit({ type: 'task:retried', at, worker: held.workerName, task: held.task, error, runAt });
      return runAt;
    }
    stats.failed++;
    worker.failed++;
    hub.emit({ type: 'task:failed', at, worker: held.workerName, task: held.task, error });
    return undefined;
  }

  released(held: HeldTask, reason: string): void {
    const { hub, stats } = this;
    stats.released++;
    stats.worker(held.workerName).released++;
    if (hub.wants('task:released')) {
      hub.emit({ type: 'task:released', at: this.clock.now(), worker: held.workerName, task: held.task, reason });
    }
  }

  leaseLost(held: HeldTask, error: LeaseLostError): void {
    const { hub, stats } = this;
    stats.leaseLost++;
    stats.worker(held.workerName).leaseLost++;
    if (hub.wants('task:lease-lost')) {
      hub.emit({ type: 'task:lease-lost', at: this.clock.now(), worker: held.workerName, task: held.task, error });
    }
  }

  /** A write kept failing: the task is left to its lease's expiry. */
  abandoned(held: HeldTask, what: string, error: unknown): void {
    this.logger.warn(
      `Gave up writing the ${what} of task ${held.id}: ${errorMessage(error)}. Its lease will expire and the store will put it back in line.`,
    );
  }

  /** This run's upkeep settled expired leases. */
  reclaimed(requeued: number, failed: number): void {
    this.stats.reclaimed += requeued + failed;
    if (this.hub.wants('task:reclaimed')) {
      this.hub.emit({ type: 'task:reclaimed', at: this.clock.now(), requeued, failed });
    }
  }

  drained(): void {
    this.hub.emit({ type: 'swarm:drained', at: this.clock.now() });
  }

  /** The run's last word: the summary in the log, then `swarm:stopped`. */
  stopped(summary: SwarmSummary, at: number): void {
    const { reason } = summary;
    this.logger.info(
      `Swarm stopped (${reason}): ${summary.completed} completed, ${summary.failed} failed, ${summary.retried} retried, ${summary.released} released in ${summary.elapsedMs} ms.`,
    );
    this.hub.emit({ type: 'swarm:stopped', at, reason });
  }
}
