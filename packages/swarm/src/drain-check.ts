import { type ClaimOptions, type Task, TaskStatus, type TaskStore } from '@omc/core';

/** Whether a `stopWhenEmpty` swarm may stop, and if not, when to look again. @internal */
export type DrainVerdict =
  | { drained: false; reason: 'busy' | 'claimable' | 'unknown'; wakeAt?: number }
  | {
      drained: true;
      /** PENDING tasks left that this swarm could not run, by why. */
      left: { capabilities: number; delayed: number; dependencies: number };
    };

const PAGE = 500;

/**
 * Decide whether nothing is left for this swarm: the store has no CLAIMED or IN_PROGRESS task, and no
 * PENDING task is claimable by one of `claimOptions` now or before `now + horizonMs`. A pending task
 * waiting for dependencies that are not all COMPLETED does not count: each of those dependencies is
 * pending (judged on its own) or finished without completing (and the task is being cancelled).
 * Pages through the pending tasks, stopping at the first one that keeps the swarm alive.
 * @internal
 */
export async function drainVerdict(
  store: TaskStore,
  claimOptions: readonly ClaimOptions[],
  now: number,
  horizonMs: number,
): Promise<DrainVerdict> {
  const stats = await store.getStats();
  if (stats.claimed > 0 || stats.inProgress > 0) return { drained: false, reason: 'busy' };
  const left = { capabilities: 0, delayed: 0, dependencies: 0 };
  if (stats.pending === 0) return { drained: true, left };
  const completed = new Map<string, boolean>();
  const isCompleted = async (id: string): Promise<boolean> => {
    let done = completed.get(id);
    if (done === undefined) {
      done = (await store.getTask(id))?.status === TaskStatus.COMPLETED;
      completed.set(id, done);
    }
    return done;
  };
  const horizon = now + horizonMs;
  let after: string | undefined;
  for (;;) {
    let page: Task[];
    try {
      page = await store.getTasks({ status: TaskStatus.PENDING, limit: PAGE, ...(after ? { after } : {}) });
    } catch {
      // The cursor task changed under us (claimed, deleted): the pool is moving, so not drained.
      return { drained: false, reason: 'unknown' };
    }
    for (const task of page) {
      const requires = task.requires ?? [];
      const claimable = (options: ClaimOptions) =>
        requires.every((need) => options.capabilities?.includes(need) ?? true) &&
        !(options.exclusive === true && requires.length === 0);
      if (!claimOptions.some(claimable)) {
        left.capabilities++;
        continue;
      }
      if (task.runAt !== undefined && task.runAt > horizon) {
        left.delayed++;
        continue;
      }
      if (task.dependsOn?.length) {
        let ready = true;
        for (const id of task.dependsOn) {
          if (!(await isCompleted(id))) {
            ready = false;
            break;
          }
        }
        if (!ready) {
          left.dependencies++;
          continue;
        }
      }
      if (task.runAt !== undefined && task.runAt > now)
        return { drained: false, reason: 'claimable', wakeAt: task.runAt };
      return { drained: false, reason: 'claimable' };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.id;
  }
  return { drained: true, left };
}
