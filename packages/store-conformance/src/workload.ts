import { TASK_PRIORITIES, TASK_STATUSES, type Task } from '@omc/core';
import { driveTo, type StoreContext, taskInput } from './harness.js';

/** @internal The agents a mixed workload spreads its tasks over. */
export const AGENTS = ['agent-a', 'agent-b', 'agent-c'] as const;

/** @internal A seeded workload: every task as read back, and each task's creation index. */
export interface Workload {
  tasks: Task[];
  creationIndex: Map<string, number>;
}

/**
 * @internal Create one task for every (status, priority) pair — 24 in all — spread over three agents, two
 * per clock millisecond so ties on createdAt occur. Tasks are read back with getTask, so expectations
 * computed from them do not depend on getTasks, the method under test.
 */
export async function seedMixedWorkload(ctx: StoreContext): Promise<Workload> {
  const creationIndex = new Map<string, number>();
  const plan = TASK_STATUSES.flatMap((status) => TASK_PRIORITIES.map((priority) => ({ status, priority })));
  const created: Task[] = [];
  for (const [i, { priority }] of plan.entries()) {
    if (i % 2 === 0) ctx.clock.advance(1);
    const task = await ctx.store.createTask(taskInput(i, { priority }));
    creationIndex.set(task.id, i);
    created.push(task);
  }
  const tasks: Task[] = [];
  for (const [i, task] of created.entries()) {
    const step = plan[i] as (typeof plan)[number];
    tasks.push(await driveTo(ctx, task.id, step.status, AGENTS[i % AGENTS.length]));
  }
  return { tasks, creationIndex };
}
