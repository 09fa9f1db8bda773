import {
  type Agent,
  type AgentContext,
  type AgentLogger,
  type ClaimOptions,
  type Clock,
  LeaseLostError,
  type Task,
  type TaskStore,
} from '@omc/core';
import { errorMessage, normaliseOutput } from './agent-output.js';
import type { ExecutionEnd, HeldTask } from './held-task.js';
import type { Semaphore } from './semaphore.js';
import type { SwarmLogger } from './swarm-options.js';
import type { Completion } from './write-batcher.js';

/** What a worker needs from the run it works in. @internal */
export interface WorkerRuntime {
  readonly store: TaskStore;
  readonly clock: Clock;
  readonly logger: SwarmLogger;
  readonly semaphore: Semaphore;
  readonly prefetch: number;
  /** Still claiming (not stopping). */
  readonly accepting: boolean;
  /** Counts changes seen (store signals, poll ticks): a claim that found nothing retries if it moved. */
  readonly changes: number;
  /** Take claimed tasks under this swarm's care (events, stats, heartbeats). */
  hold(tasks: Task[], worker: Worker): HeldTask[];
  claimStarted(): void;
  claimEnded(): void;
  /** The agent is about to be called: write the start. */
  started(held: HeldTask, worker: Worker): void;
  /** The agent returned a result: write the completion. */
  complete(completion: Completion): void;
  /** The attempt failed: write the failure (the store retries the task or fails it). */
  fail(held: HeldTask, error: string, durationMs: number): void;
  /** Hand a claimed-ahead task back: write the release. */
  release(held: HeldTask, reason: string): void;
  /** Settles once this run's writes buffered so far are written (see `WriteBatcher.flushed`). */
  flushed(): Promise<void>;
  /** The worker found nothing and waits for a change. */
  idle(worker: Worker): void;
  heartbeat(held: HeldTask): Promise<void>;
  /** The agent threw the `LeaseLostError` of its own task: the lease is gone. */
  leaseLost(held: HeldTask, error: LeaseLostError): void;
  /** The agent's call ended; `busyMs` is swarm-clock time inside it. */
  executed(held: HeldTask, busyMs: number): void;
}

// A task that ends within this (real) time counts as fast: the worker may claim more ahead.
const FAST_TASK_MS = 5;
const NO_DEPENDENCIES: readonly Task[] = Object.freeze([]);

/**
 * One registration of an agent: claims tasks it can do under its own name (`executor-2`), runs at most
 * one at a time, and keeps a small queue of tasks claimed ahead.
 * @internal
 */
export class Worker {
  /** Tasks claimed ahead, in claim order. */
  queue: HeldTask[] = [];
  /** The task the agent is working on. */
  current: HeldTask | undefined;
  /** How many to claim next (adaptive, 1 … prefetch). */
  batchSize = 1;
  /** Waiting for a change (found nothing to claim). */
  waiting = false;
  /** Said `agent:idle` since it last had work. */
  announcedIdle = false;
  /** The last claim got tasks (the batch may grow once they are done). */
  private claimedBefore = false;
  /** A task since the last claim was slow (the batch stays at one). */
  private slowSinceClaim = false;
  private wakeUp: (() => void) | undefined;

  /** What this worker may claim: its capabilities, and only tasks requiring them when the agent is exclusive. */
  readonly claimOptions: ClaimOptions;

  constructor(
    readonly name: string,
    readonly agent: Agent,
    readonly capabilities: readonly string[],
  ) {
    this.claimOptions = agent.exclusive === true ? { capabilities, exclusive: true } : { capabilities };
  }

  /** End an idle wait (a change, a poll tick, stop). */
  wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  /** The worker's loop for one run of the swarm. */
  async run(rt: WorkerRuntime): Promise<void> {
    this.queue = [];
    this.batchSize = 1;
    this.announcedIdle = false;
    this.claimedBefore = false;
    this.slowSinceClaim = false;
    while (rt.accepting) {
      // Take a slot before claiming, so a worker never holds tasks it cannot start.
      if (!rt.semaphore.tryAcquire() && !(await rt.semaphore.acquire())) break;
      const changes = rt.changes;
      let held = this.nextQueued();
      if (!held && rt.accepting) held = await this.claim(rt);
      if (!held) {
        rt.semaphore.release();
        if (!rt.accepting) break;
        // A change since the claim began may have brought work: look again before sleeping.
        if (changes === rt.changes) await this.sleep(rt);
        continue;
      }
      try {
        await this.execute(rt, held);
      } finally {
        rt.semaphore.release();
      }
    }
  }

  private nextQueued(): HeldTask | undefined {
    let held = this.queue.shift();
    while (held && held.state !== 'queued') held = this.queue.shift();
    return held;
  }

  private async claim(rt: WorkerRuntime): Promise<HeldTask | undefined> {
    // Yield until this worker's earlier writes are flushed: paces claims to the store, lets timers run.
    await rt.flushed();
    if (!rt.accepting) return undefined;
    // Every task of the last batch was fast: claim twice as many ahead (up to prefetch).
    if (this.claimedBefore && !this.slowSinceClaim) this.batchSize = Math.min(rt.prefetch, this.batchSize * 2);
    this.claimedBefore = false;
    this.slowSinceClaim = false;
    let tasks: Task[];
    rt.claimStarted();
    try {
      tasks = await rt.store.claimTasks(this.name, this.batchSize, this.claimOptions);
    } catch (error) {
      rt.logger.warn(`${this.name}: claiming failed: ${errorMessage(error)}; trying again at the next change or poll.`);
      tasks = [];
    } finally {
      rt.claimEnded();
    }
    if (tasks.length === 0) return undefined;
    this.claimedBefore = true;
    this.announcedIdle = false;
    const held = rt.hold(tasks, this);
    if (!rt.accepting) {
      for (const h of held) rt.release(h, 'the swarm is stopping; claimed but not started');
      return undefined;
    }
    const [first, ...rest] = held;
    this.queue.push(...rest);
    return first;
  }

  private sleep(rt: WorkerRuntime): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = () => {
        this.waiting = false;
        resolve();
      };
      this.waiting = true;
      rt.idle(this);
    });
  }

  private async execute(rt: WorkerRuntime, held: HeldTask): Promise<void> {
    const { task } = held;
    held.state = 'running';
    held.startedAt = rt.clock.now();
    held.startedPerf = performance.now();
    this.current = held;
    rt.started(held, this);
    let end: ExecutionEnd;
    try {
      const dependencies = task.dependsOn?.length ? await this.dependencies(rt, task.dependsOn) : NO_DEPENDENCIES;
      if (held.state !== 'running') return; // lost while fetching them
      const workerName = this.name;
      let log: AgentLogger | undefined;
      // Own getters (they survive a spread): the signal and logger are built only if the agent reads them,
      // which keeps fast agents that never do cheap.
      const context: AgentContext = {
        get signal() {
          return held.signal;
        },
        heartbeat: () => rt.heartbeat(held),
        get log() {
          log ??= taskLogger(rt.logger, `[${workerName} ${task.id}] `);
          return log;
        },
        dependencies,
        attempt: task.attempts,
        workerName,
      };
      end = await new Promise<ExecutionEnd>((resolve) => {
        held.detach = resolve;
        let pending: Promise<unknown>;
        try {
          pending = Promise.resolve(this.agent.execute(task, context));
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(
          (output) => resolve({ kind: 'returned', output }),
          (error: unknown) => resolve({ kind: 'threw', error }),
        );
      });
    } catch (error) {
      end = { kind: 'threw', error };
    } finally {
      this.current = undefined;
      held.detach = undefined;
    }
    const realMs = performance.now() - held.startedPerf;
    const durationMs = Math.max(0, rt.clock.now() - held.startedAt);
    // A slow task: back to claiming one at a time (a fast batch doubles at the next claim).
    if (realMs >= FAST_TASK_MS) {
      this.batchSize = 1;
      this.slowSinceClaim = true;
    }
    rt.executed(held, durationMs);
    // Lost, timed out, or handed back at shutdown meanwhile: whatever the agent says is not written.
    if (held.state !== 'running' || end.kind === 'detached') return;
    if (end.kind === 'threw') {
      const { error } = end;
      if (LeaseLostError.isInstance(error) && error.taskId === held.id) {
        // The agent wrote with the lease itself (or rethrew ctx.heartbeat()'s error): nothing to write.
        rt.leaseLost(held, error);
        return;
      }
      held.state = 'finishing';
      rt.fail(held, errorMessage(error), durationMs);
      return;
    }
    const output = normaliseOutput(this.agent.name, end.output);
    held.state = 'finishing';
    if (!output.ok) {
      rt.fail(held, output.error, durationMs);
      return;
    }
    rt.complete({ held, result: output.result, usage: output.usage, costUsd: output.costUsd, durationMs });
  }

  private async dependencies(rt: WorkerRuntime, ids: readonly string[]): Promise<readonly Task[]> {
    const tasks = await Promise.all(ids.map((id) => rt.store.getTask(id)));
    return tasks.filter((t): t is Task => t !== null);
  }
}

/** The agent's `ctx.log`: the swarm's logger, each line tagged with the worker and the task. */
function taskLogger(logger: SwarmLogger, prefix: string): AgentLogger {
  return { info: (message) => logger.info(prefix + message), warn: (message) => logger.warn(prefix + message) };
}
