import { randomUUID } from 'node:crypto';
import { InvalidInputError, TaskPriority } from '@omc/core';
import { type ModeContext, type ModeTaskResult, modeTaskResult, runUntilFinished } from './mode-run.js';

/** Options of {@link OhMyCopilot.eco}. */
export interface EcoOptions {
  /** Names the run; the same id finds the same task again (resume). Default: a new id. */
  runId?: string;
  /** Fallback poll interval of the run's swarm, in ms. Default 1000. */
  pollInterval?: number;
}

/** @internal */
export async function runEco(context: ModeContext, goal: string, options: EcoOptions = {}): Promise<ModeTaskResult> {
  if (typeof goal !== 'string' || goal.trim() === '') {
    throw new InvalidInputError('goal', 'eco needs a non-empty goal, e.g. "Simple task".');
  }
  const runId = options.runId ?? randomUUID();
  const tag = `eco:${runId}`;
  const task = await context.store.createTask({
    title: goal.length > 80 ? `${goal.slice(0, 77)}...` : goal,
    description: goal,
    priority: TaskPriority.MEDIUM,
    metadata: { mode: 'eco', runId },
    requires: [tag],
    idempotencyKey: tag,
  });
  const [finished] = await runUntilFinished(
    context,
    [{ agent: context.roleAgents.executor({ tier: 'cheapest' }), tag }],
    [task.id],
    { maxConcurrency: 1, pollInterval: options.pollInterval },
  );
  return modeTaskResult(finished ?? task);
}
