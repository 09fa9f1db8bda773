import type { TaskStats, TokenUsage } from '@omc/core';

/** One worker's counts since the swarm started. */
export interface WorkerStats {
  completed: number;
  failed: number;
  retried: number;
  released: number;
  leaseLost: number;
  tokens: TokenUsage;
  costUsd: number;
  /** Time spent inside `agent.execute`, in ms of the swarm's clock. */
  busyMs: number;
}

/**
 * Live numbers of a swarm run. Counters cover this run (they restart at zero with `start()`);
 * `queueDepth` is the store's last `getStats()` seen, refreshed at most once per `pollInterval` and once
 * more when the run stops (after its last write), so a summary's `queueDepth` is what was left at the end.
 */
export interface SwarmStats {
  startedAt?: number;
  elapsedMs: number;
  claimed: number;
  completed: number;
  failed: number;
  retried: number;
  released: number;
  reclaimed: number;
  leaseLost: number;
  /** `completed` per second of `elapsedMs`. */
  throughputPerSec: number;
  queueDepth: { pending: number; claimed: number; inProgress: number };
  tokens: TokenUsage;
  costUsd: number;
  /** By worker name (`executor-1`). */
  perAgent: Record<string, WorkerStats>;
}

/** What `start()` resolves with. */
export type SwarmSummary = SwarmStats & { reason: 'drained' | 'stopped' };

const noTokens = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

const emptyWorker = (): WorkerStats => ({
  completed: 0,
  failed: 0,
  retried: 0,
  released: 0,
  leaseLost: 0,
  tokens: noTokens(),
  costUsd: 0,
  busyMs: 0,
});

function addTokens(into: TokenUsage, usage: TokenUsage): void {
  into.inputTokens += finite(usage.inputTokens);
  into.outputTokens += finite(usage.outputTokens);
  into.totalTokens += finite(usage.totalTokens);
}

const finite = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/** The counters behind `stats()`. @internal */
export class StatsRecorder {
  startedAt: number | undefined;
  stoppedAt: number | undefined;
  claimed = 0;
  completed = 0;
  failed = 0;
  retried = 0;
  released = 0;
  reclaimed = 0;
  leaseLost = 0;
  queueDepth = { pending: 0, claimed: 0, inProgress: 0 };
  private tokens = noTokens();
  private costUsd = 0;
  private readonly workers = new Map<string, WorkerStats>();

  /** Start counting again (a new run). */
  reset(workerNames: Iterable<string>, now: number): void {
    this.startedAt = now;
    this.stoppedAt = undefined;
    this.claimed = this.completed = this.failed = this.retried = this.released = this.reclaimed = this.leaseLost = 0;
    this.tokens = noTokens();
    this.costUsd = 0;
    this.workers.clear();
    for (const name of workerNames) this.workers.set(name, emptyWorker());
  }

  worker(name: string): WorkerStats {
    let stats = this.workers.get(name);
    if (!stats) {
      stats = emptyWorker();
      this.workers.set(name, stats);
    }
    return stats;
  }

  recordUsage(worker: WorkerStats, usage: TokenUsage | undefined, costUsd: number | undefined): void {
    if (usage) {
      addTokens(worker.tokens, usage);
      addTokens(this.tokens, usage);
    }
    if (costUsd !== undefined) {
      worker.costUsd += finite(costUsd);
      this.costUsd += finite(costUsd);
    }
  }

  setQueueDepth(stats: TaskStats): void {
    this.queueDepth = { pending: stats.pending, claimed: stats.claimed, inProgress: stats.inProgress };
  }

  snapshot(now: number): SwarmStats {
    const elapsedMs = this.startedAt === undefined ? 0 : Math.max(0, (this.stoppedAt ?? now) - this.startedAt);
    const perAgent: Record<string, WorkerStats> = {};
    for (const [name, w] of this.workers) perAgent[name] = { ...w, tokens: { ...w.tokens } };
    const stats: SwarmStats = {
      elapsedMs,
      claimed: this.claimed,
      completed: this.completed,
      failed: this.failed,
      retried: this.retried,
      released: this.released,
      reclaimed: this.reclaimed,
      leaseLost: this.leaseLost,
      throughputPerSec: elapsedMs > 0 ? (this.completed * 1000) / elapsedMs : 0,
      queueDepth: { ...this.queueDepth },
      tokens: { ...this.tokens },
      costUsd: this.costUsd,
      perAgent,
    };
    if (this.startedAt !== undefined) stats.startedAt = this.startedAt;
    return stats;
  }
}
