import { randomUUID } from 'node:crypto';
import { type Agent, InvalidInputError, type TaskMetadata, type TaskPriority } from '@omc/core';
import { type ModeContext, type ModeTaskResult, modeTaskResult, runUntilFinished } from './mode-run.js';

/** One task of an ultrawork run. */
export interface UltraItem {
  title: string;
  /** Default: the title. */
  description?: string;
  /** Who does it. Default: an executor. */
  agent?: Agent;
  priority?: TaskPriority;
  metadata?: TaskMetadata;
}

/** Options of {@link OhMyCopilot.ultra}. */
export interface UltraOptions {
  /** Most items running at once. Default: all of them. */
  maxConcurrency?: number;
  /** Names the run; the same id finds the same tasks again (resume). Default: a new id. */
  runId?: string;
  /** Fallback poll interval of the run's swarm, in ms. Default 1000. */
  pollInterval?: number;
}

/** @internal */
export async function runUltra(
  context: ModeContext,
  items: readonly UltraItem[],
  options: UltraOptions = {},
): Promise<ModeTaskResult[]> {
  if (!Array.isArray(items) || items.length === 0) {
    throw new InvalidInputError('items', 'ultra needs a non-empty array of { title, agent? } items.');
  }
  const runId = options.runId ?? randomUUID();
  const workers = items.map((item, index) => ({
    agent: item.agent ?? context.roleAgents.executor(),
    tag: `ultra:${runId}:${index}`,
  }));
  // One transaction: either every item is in the pool or (on invalid input) none is.
  const tasks = await context.store.createTasks(
    items.map((item, index) => ({
      title: item.title,
      description: item.description ?? item.title,
      priority: item.priority,
      metadata: { ...item.metadata, mode: 'ultra', runId, item: index },
      requires: [(workers[index] as (typeof workers)[number]).tag],
      idempotencyKey: `ultra:${runId}:${index}`,
    })),
  );
  const finished = await runUntilFinished(
    context,
    workers,
    tasks.map((t) => t.id),
    { maxConcurrency: options.maxConcurrency, pollInterval: options.pollInterval },
  );
  return finished.map(modeTaskResult);
}
