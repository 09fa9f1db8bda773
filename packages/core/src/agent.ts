import type { Task } from './task.js';

/** Token counts of one model call, or of every call an agent made for a task. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/**
 * What an agent returns for a task. A string (or `{ result }`) becomes the task's `result`; `usage` and
 * `costUsd` feed the swarm's per-agent statistics (an agent that wants them in the stored result, like the
 * model-backed role agents, writes them into `result` too).
 */
export type AgentOutput = string | undefined | { result?: string; usage?: TokenUsage; costUsd?: number };

/** Where an agent writes progress; the swarm tags each line with the worker and task. */
export interface AgentLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** What the swarm hands an agent with each task. */
export interface AgentContext {
  /**
   * Aborted when the attempt must stop: the task was cancelled (seen at a heartbeat), its `timeoutMs`
   * ran out, its lease was lost, or the swarm is shutting down past its grace period. `signal.reason` is
   * an `OmcError` saying which. An agent passes it to whatever it awaits (fetch, child processes, models).
   */
  signal: AbortSignal;
  /** Extend the lease now (the swarm also does it on a timer). Rejects with `LeaseLostError` when lost. */
  heartbeat(): Promise<void>;
  log: AgentLogger;
  /** The tasks this one depends on, all COMPLETED, with their results; in `dependsOn` order. */
  dependencies: readonly Task[];
  /** This attempt's number (1 for the first). */
  attempt: number;
  /** The name this worker claims under (e.g. `executor-2`), which the task shows as `assignedAgent`. */
  workerName: string;
}

/**
 * Something that does tasks. The swarm claims for it only tasks whose `requires` are all in
 * `capabilities`, calls `execute`, and records what it returns as the result (or what it throws as the
 * attempt's error). Registering one agent object several times gives several workers.
 *
 * ### Examples
 * ```ts
 * const echo: Agent = {
 *   name: 'echo',
 *   capabilities: ['text'],
 *   async execute(task, { signal }) {
 *     signal.throwIfAborted();
 *     return `echo: ${task.description}`;
 *   },
 * };
 * ```
 */
export interface Agent {
  /** A kind name (`executor`); the swarm names each worker `<name>-<n>`. */
  readonly name: string;
  /** What it can do; a task that requires anything else is never claimed for it. Default: none. */
  readonly capabilities?: readonly string[];
  /**
   * Claim only tasks that require at least one capability (all of them among `capabilities`), leaving tasks
   * that require nothing to other agents. Default false.
   */
  readonly exclusive?: boolean;
  execute(task: Task, context: AgentContext): Promise<AgentOutput>;
}
