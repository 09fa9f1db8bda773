import { type Agent, InvalidInputError, type TaskStore, validateAgentName, validateCapabilities } from '@omc/core';
import { errorMessage } from './agent-output.js';
import { EventHub } from './event-hub.js';
import { checkStore } from './store-contract.js';
import { SwarmStateError } from './swarm-errors.js';
import type { SwarmEvent, SwarmEventOf, SwarmEventType } from './swarm-events.js';
import {
  type ResolvedSwarmOptions,
  resolveGraceMs,
  resolveStartOptions,
  resolveSwarmOptions,
  type SwarmOptions,
  type SwarmStartOptions,
} from './swarm-options.js';
import { SwarmRun } from './swarm-run.js';
import { StatsRecorder, type SwarmStats, type SwarmSummary } from './swarm-stats.js';
import { Worker } from './worker.js';

/** A worker as `status()` shows it. */
export interface SwarmWorkerStatus {
  /** The name it claims under: `<agent name>-<n>`. */
  name: string;
  /** The agent's name. */
  agent: string;
  capabilities: string[];
  /** `busy` while its agent works on a task. */
  state: 'idle' | 'busy';
  taskId?: string;
  taskTitle?: string;
}

/** What `status()` returns. */
export interface SwarmStatus {
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  /** Tasks running now. */
  running: number;
  workers: SwarmWorkerStatus[];
}

/**
 * Many agents working one task pool. Each `registerAgent` call adds a worker that claims, under its own
 * name, only tasks whose `requires` it has; at most `maxConcurrency` tasks run at once. Leases are kept
 * alive by heartbeats, each task gets an `AbortSignal` (cancellation, timeout, shutdown), results are
 * written in groups and acknowledged once durable, and `stop()` hands back what is not done. The store
 * is handed in: any `TaskStore` of a version in `SUPPORTED_STORE_SPECIFICATION_VERSIONS` (today v3);
 * another version throws `UnsupportedStoreError` (`OMC_UNSUPPORTED_STORE`), no object at all an
 * `InvalidInputError`.
 *
 * ### Examples
 * ```ts
 * import { TaskPool } from '@omc/store-sqlite';
 * import { Swarm } from '@omc/swarm';
 *
 * const pool = new TaskPool('./swarm-tasks.db');
 * const swarm = new Swarm(pool);
 * for (let i = 0; i < 5; i++) {
 *   swarm.registerAgent({ name: 'executor', execute: async (task) => `done: ${task.title}` });
 * }
 * swarm.on('task:completed', (e) => console.log(`${e.worker} finished ${e.task.title}`));
 * const summary = await swarm.start({ maxConcurrency: 5, stopWhenEmpty: true });
 * console.log(summary.completed, summary.throughputPerSec);
 * ```
 */
export class Swarm {
  private readonly store: TaskStore;
  private readonly options: ResolvedSwarmOptions;
  private readonly hub: EventHub;
  private readonly recorder = new StatsRecorder();
  private readonly workers: Worker[] = [];
  private readonly perName = new Map<string, number>();
  private run: SwarmRun | undefined;

  constructor(store: TaskStore, options?: SwarmOptions) {
    this.store = checkStore(store);
    this.options = resolveSwarmOptions(options);
    this.hub = new EventHub((type, error) =>
      this.options.logger.warn(`A ${type} event listener threw: ${errorMessage(error)}`),
    );
  }

  /**
   * Add a worker for `agent` and return its name, `<agent.name>-<n>` (n counts per agent name from 1):
   * registering one agent object five times gives `executor-1` … `executor-5`. Allowed before `start()`
   * and while running (the worker joins at once). `agent.capabilities` must be valid capability names.
   *
   * ### Examples
   * ```ts
   * const name = swarm.registerAgent({ name: 'qa', capabilities: ['test'], execute: async () => 'ok' }); // 'qa-1'
   * ```
   */
  registerAgent(agent: Agent): string {
    if (typeof agent !== 'object' || agent === null || typeof agent.execute !== 'function') {
      throw new InvalidInputError(
        'agent',
        'registerAgent needs an agent: { name, capabilities?, execute(task, ctx) }.',
      );
    }
    const kind = validateAgentName(agent.name);
    const capabilities = validateCapabilities('capabilities', agent.capabilities) ?? [];
    const n = (this.perName.get(kind) ?? 0) + 1;
    const name = `${kind}-${n}`;
    this.perName.set(kind, n);
    const worker = new Worker(name, agent, capabilities);
    this.workers.push(worker);
    if (this.run?.state === 'running') this.run.launch(worker);
    return name;
  }

  /**
   * Run until stopped: with `stopWhenEmpty`, until nothing is left for this swarm; otherwise until
   * `stop()`. Resolves with the run's summary. Rejects with `InvalidInputError` for bad options, and with
   * `SwarmStateError` when already running or when no agent is registered. A stopped swarm can start
   * again (the counters restart).
   *
   * ### Examples
   * ```ts
   * const summary = await swarm.start({ maxConcurrency: 5, pollInterval: 1000, stopWhenEmpty: true });
   * console.log(summary.reason, summary.completed);
   * ```
   */
  async start(options?: SwarmStartOptions): Promise<SwarmSummary> {
    const start = resolveStartOptions(options);
    if (this.run && this.run.state !== 'stopped') {
      throw new SwarmStateError(`The swarm is already ${this.run.state}; await stop() before starting it again.`);
    }
    if (this.workers.length === 0) {
      throw new SwarmStateError('No agent is registered; call registerAgent(agent) before start().');
    }
    const run = new SwarmRun({
      store: this.store,
      options: this.options,
      start,
      hub: this.hub,
      stats: this.recorder,
      workers: this.workers,
    });
    this.run = run;
    run.begin();
    return run.done;
  }

  /**
   * Stop: claim nothing more, hand back (release) tasks claimed ahead, let running tasks finish within the
   * grace period (default: the swarm's `graceMs`), then abort their signals (`SwarmShutdownError`) and hand
   * them back. Resolves once nothing this swarm claimed is still CLAIMED or IN_PROGRESS and every
   * acknowledged completion is durable. Idempotent; a no-op when not running.
   *
   * ### Examples
   * ```ts
   * process.once('SIGTERM', () => void swarm.stop({ graceMs: 5_000 }));
   * ```
   */
  async stop(options?: { graceMs?: number }): Promise<void> {
    const graceMs = resolveGraceMs(options?.graceMs, this.options.graceMs);
    const run = this.run;
    if (!run) return;
    await run.stop(graceMs, 'stopped');
  }

  /**
   * The swarm's state and what each worker is doing now.
   *
   * ### Examples
   * ```ts
   * for (const w of swarm.status().workers) console.log(w.name, w.state, w.taskTitle ?? '');
   * ```
   */
  status(): SwarmStatus {
    let running = 0;
    const workers = this.workers.map((worker): SwarmWorkerStatus => {
      const task = worker.current?.task;
      const status: SwarmWorkerStatus = {
        name: worker.name,
        agent: worker.agent.name,
        capabilities: [...worker.capabilities],
        state: task ? 'busy' : 'idle',
      };
      if (task) {
        running++;
        status.taskId = task.id;
        status.taskTitle = task.title;
      }
      return status;
    });
    return { state: this.run?.state ?? 'idle', running, workers };
  }

  /**
   * Live counters of the current (or last) run: cheap, no store I/O (`queueDepth` is the last poll's, or the
   * queue at the end once the run has stopped).
   *
   * ### Examples
   * ```ts
   * const { completed, throughputPerSec, perAgent } = swarm.stats();
   * ```
   */
  stats(): SwarmStats {
    return this.recorder.snapshot(this.options.clock.now());
  }

  /**
   * Listen to one type of event; returns a function that removes the listener. A listener that throws is
   * logged and ignored.
   *
   * ### Examples
   * ```ts
   * const off = swarm.on('task:completed', (e) => console.log(e.worker, e.task.title, e.durationMs));
   * off();
   * ```
   */
  on<K extends SwarmEventType>(type: K, listener: (event: SwarmEventOf<K>) => void): () => void {
    if (typeof listener !== 'function') {
      throw new InvalidInputError('listener', `swarm.on('${String(type)}', listener) needs a function.`);
    }
    return this.hub.on(type, listener);
  }

  /**
   * Every event from now on, as an async iterator with its own queue (nothing is lost between two
   * `next()` calls). It ends after the next `swarm:stopped` event, when `signal` aborts, or on `break`.
   *
   * ### Examples
   * ```ts
   * for await (const event of swarm.events()) {
   *   if (event.type === 'task:failed') console.error(event.task.title, event.error);
   * }
   * ```
   */
  events(options?: { signal?: AbortSignal }): AsyncIterableIterator<SwarmEvent> {
    return this.hub.iterate(options?.signal);
  }
}
