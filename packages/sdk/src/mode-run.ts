import { createHash } from 'node:crypto';
import { parseAgentResult } from '@omc/agents';
import { type Agent, isTerminal, type Task, type TaskStatus, type TokenUsage } from '@omc/core';
import type { TaskPool } from '@omc/store-sqlite';
import type { Swarm } from '@omc/swarm';

/** How the modes make role agents; `tier: 'cheapest'` asks for the cheapest model (ecomode). */
export interface RoleAgentFactory {
  architect(options?: { tier?: 'default' | 'cheapest' }): Agent;
  executor(options?: { tier?: 'default' | 'cheapest' }): Agent;
  qaTester(options?: { tier?: 'default' | 'cheapest' }): Agent;
  securityReviewer(options?: { tier?: 'default' | 'cheapest' }): Agent;
}

/** @internal What a mode needs from the facade. */
export interface ModeContext {
  pool: TaskPool;
  newSwarm(): Swarm;
  roleAgents: RoleAgentFactory;
}

/** How one task of a mode ended. */
export interface ModeTaskResult {
  taskId: string;
  title: string;
  status: TaskStatus;
  /** The agent's answer (for role agents, the model's text). */
  content?: string;
  /** Which model answered, e.g. `scripted (offline)`. */
  model?: string;
  usage?: TokenUsage;
  costUsd?: number;
  /** Why it failed or was cancelled. */
  error?: string;
}

/** @internal A stable run id for a goal, so the same goal resumes the same run. */
export function runIdFor(mode: string, text: string): string {
  return createHash('sha256').update(`${mode}\n${text}`).digest('hex').slice(0, 16);
}

/** @internal One task of a mode and the agent that must do it. */
export interface ModeWorker {
  agent: Agent;
  /** The capability that routes the task to this worker and to no other. */
  tag: string;
}

/**
 * @internal Run `workers` on the pool until every task in `taskIds` is finished, then stop the swarm.
 * Each worker is exclusive: it claims only tasks that require its tag, so a mode never takes other work
 * waiting in the same pool.
 */
export async function runUntilFinished(
  context: ModeContext,
  workers: readonly ModeWorker[],
  taskIds: readonly string[],
  options: { maxConcurrency?: number; pollInterval?: number } = {},
): Promise<Task[]> {
  const readTasks = () => taskIds.map((id) => context.pool.getTask(id)).filter((t): t is Task => t !== null);
  const allFinished = (tasks: Task[]) => tasks.length === taskIds.length && tasks.every((t) => isTerminal(t.status));
  const before = readTasks();
  if (allFinished(before)) return before;

  const swarm = context.newSwarm();
  for (const { agent, tag } of workers) {
    swarm.registerAgent({
      name: agent.name,
      capabilities: [tag],
      exclusive: true,
      execute: (task, ctx) => agent.execute(task, ctx),
    });
  }
  const pollInterval = options.pollInterval ?? 1000;
  let stopping: Promise<void> | undefined;
  const check = () => {
    if (stopping === undefined && allFinished(readTasks())) stopping = swarm.stop();
  };
  const unsubscribe = context.pool.onChange(check);
  const timer = setInterval(check, pollInterval);
  try {
    const running = swarm.start({ maxConcurrency: options.maxConcurrency ?? workers.length, pollInterval });
    check();
    await running;
    await stopping;
  } finally {
    clearInterval(timer);
    unsubscribe();
  }
  return readTasks();
}

/** @internal A finished task as a mode reports it. */
export function modeTaskResult(task: Task): ModeTaskResult {
  const parsed = parseAgentResult(task.result);
  return {
    taskId: task.id,
    title: task.title,
    status: task.status,
    content: parsed.content,
    model: parsed.model,
    usage: parsed.usage,
    costUsd: parsed.costUsd,
    error: task.error,
  };
}
