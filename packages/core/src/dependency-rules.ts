import { TaskStatus } from './task.js';

// What a task's end means for the tasks that depend on it: the rules every store's cascade follows.

/** FAILED or CANCELLED: ended without completing, which takes its dependants down. */
export function isEnded(status: TaskStatus): boolean {
  return status === TaskStatus.FAILED || status === TaskStatus.CANCELLED;
}

/**
 * What a status change does to a task's dependants: COMPLETED releases them; FAILED or CANCELLED
 * (from a status that was neither) cancels them. `undefined`: nothing.
 */
export function dependantsEffect(from: TaskStatus, to: TaskStatus): 'release' | TaskStatus | undefined {
  if (from === to) return undefined;
  if (to === TaskStatus.COMPLETED) return 'release';
  return isEnded(to) && !isEnded(from) ? to : undefined;
}

/** How a dependency's end reads in its dependants' error: `dependency <id> failed`. */
export function endedAs(status: string): 'failed' | 'was cancelled' {
  return status === TaskStatus.FAILED ? 'failed' : 'was cancelled';
}
