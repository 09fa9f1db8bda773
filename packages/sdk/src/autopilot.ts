import { InvalidInputError, TaskPriority, TaskStatus } from '@omc/core';
import {
  type ModeContext,
  type ModeTaskResult,
  type ModeWorker,
  modeTaskResult,
  type RoleAgentFactory,
  runIdFor,
  runUntilFinished,
} from './mode-run.js';

/** Options of {@link OhMyCopilot.autopilot}. */
export interface AutopilotOptions {
  /**
   * Names the run. Default: derived from the goal, so calling `autopilot` again with the same goal resumes
   * (or returns) the same run; pass a new id to run the goal afresh.
   */
  runId?: string;
  /** Priority of the four tasks in the pool. Default HIGH. */
  priority?: TaskPriority;
  /** Fallback poll interval of the run's swarm, in ms. Default 1000. */
  pollInterval?: number;
}

/** One stage of an autopilot run. */
export interface AutopilotStage extends ModeTaskResult {
  role: AutopilotRole;
}

/** How an autopilot run ended: `completed` when every stage completed. */
export interface AutopilotResult {
  runId: string;
  goal: string;
  status: 'completed' | 'failed' | 'cancelled';
  stages: AutopilotStage[];
}

type AutopilotRole = 'architect' | 'executor' | 'qa-tester' | 'security-reviewer';

const STAGES: ReadonlyArray<{ role: AutopilotRole; make: keyof RoleAgentFactory; title: string }> = [
  { role: 'architect', make: 'architect', title: 'Design' },
  { role: 'executor', make: 'executor', title: 'Implement' },
  { role: 'qa-tester', make: 'qaTester', title: 'Test' },
  { role: 'security-reviewer', make: 'securityReviewer', title: 'Security review' },
];

/** @internal */
export async function runAutopilot(
  context: ModeContext,
  goal: string,
  options: AutopilotOptions = {},
): Promise<AutopilotResult> {
  if (typeof goal !== 'string' || goal.trim() === '') {
    throw new InvalidInputError('goal', 'autopilot needs a non-empty goal, e.g. "Build authentication system".');
  }
  const runId = options.runId ?? runIdFor('autopilot', goal);
  const workers: ModeWorker[] = [];
  const taskIds: string[] = [];
  // Keyed creates: a second call (after a crash) finds the same four tasks instead of adding more.
  for (const [index, stage] of STAGES.entries()) {
    const tag = `autopilot:${runId}:${stage.role}`;
    const task = await context.store.createTask({
      title: `${stage.title}: ${goal}`,
      description: goal,
      priority: options.priority ?? TaskPriority.HIGH,
      metadata: { mode: 'autopilot', runId, stage: stage.role, step: index + 1 },
      requires: [tag],
      dependsOn: taskIds.length === 0 ? undefined : [taskIds[taskIds.length - 1] as string],
      idempotencyKey: `autopilot:${runId}:${index}`,
    });
    taskIds.push(task.id);
    workers.push({ agent: context.roleAgents[stage.make](), tag });
  }
  const tasks = await runUntilFinished(context, workers, taskIds, {
    maxConcurrency: 1,
    pollInterval: options.pollInterval,
  });
  const stages = tasks.map((task, index) => ({
    role: (STAGES[index] as (typeof STAGES)[number]).role,
    ...modeTaskResult(task),
  }));
  const status = stages.every((s) => s.status === TaskStatus.COMPLETED)
    ? 'completed'
    : stages.some((s) => s.status === TaskStatus.FAILED)
      ? 'failed'
      : 'cancelled';
  return { runId, goal, status, stages };
}
