import { createHash } from 'node:crypto';
import { parseAgentResult } from '@omc/agents';
import { type Agent, isTerminal, type Task, type TaskStatus, type TaskStore, type TokenUsage } from '@omc/core';
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
  store: TaskStore;
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
 * @internal Run `workers` on the store until every task in `taskIds` is finished, then stop the swarm.
 * Each worker is exclusive: it claims only tasks that require its tag, so a mode never takes other work
 * waiting in the same pool. Every read of the store is awaited; a read that fails stops the swarm, and
 * the run rejects with that error.
 */
export async function runUntilFinished(
  context: ModeContext,
  workers: readonly ModeWorker[],
  taskIds: readonly string[],
  options: { maxConcurrency?: number; pollInterval?: number } = {},
): Promise<Task[]> {
  const readTasks = async () =>
    (await Promise.all(taskIds.map((id) => context.store.getTask(id)))).filter((t): t is Task => t !== null);
  const allFinished = (tasks: Task[]) => tasks.length === taskIds.length && tasks.every((t) => isTerminal(t.status));
  const before = await readTasks();
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
  let failed: { error: unknown } | undefined;
  // One read at a time: a change signalled during a read asks for one more read after it, not another
  // read beside it (an asynchronous store would otherwise get a read per write of a busy swarm).
  let reading: Promise<void> | undefined;
  let readAgain = false;
  const check = () => {
    if (stopping !== undefined) return;
    if (reading !== undefined) {
      readAgain = true;
      return;
    }
    reading = (async () => {
      do {
        readAgain = false;
        if (allFinished(await readTasks())) stopping = swarm.stop();
      } while (readAgain && stopping === undefined);
    })()
      .catch((error: unknown) => {
        failed = { error };
        stopping ??= swarm.stop();
      })
      .finally(() => {
        reading = undefined;
      });
  };
  const unsubscribe = context.store.onChange(check);
  const timer = setInterval(check, pollInterval);
  try {
    const running = swarm.start({ maxConcurrency: options.maxConcurrency ?? workers.length, pollInterval });
    check();
    await running;
    await stopping;
  } finally {
    clearInterval(timer);
    unsubscribe();
    await reading;
  }
  if (failed !== undefined) throw failed.error;
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
