import { InvalidInputError, InvalidTransitionError } from './errors.js';
import { type Task, TaskStatus, type UpdateTaskInput } from './task.js';

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

/**
 * The allowed status changes. The guide's list, plus two of its own examples' needs:
 * CLAIMED → COMPLETED/FAILED (its Custom Integration example finishes a claimed task directly) and
 * CLAIMED/IN_PROGRESS → PENDING (a holder hands the task back, e.g. on shutdown).
 */
export const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = Object.freeze({
  [PENDING]: [CLAIMED, CANCELLED],
  [CLAIMED]: [IN_PROGRESS, COMPLETED, FAILED, CANCELLED, PENDING],
  [IN_PROGRESS]: [COMPLETED, FAILED, CANCELLED, PENDING],
  [COMPLETED]: [],
  [FAILED]: [],
  [CANCELLED]: [],
});

/**
 * Whether a task may move from one status to another.
 *
 * ### Examples
 * ```ts
 * canTransition(TaskStatus.PENDING, TaskStatus.CLAIMED); // true
 * canTransition(TaskStatus.COMPLETED, TaskStatus.PENDING); // false
 * ```
 */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** COMPLETED, FAILED and CANCELLED: no way out. */
export function isTerminal(status: TaskStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/**
 * Decide what a task becomes under an update. Pure: it throws {@link InvalidTransitionError} or
 * {@link InvalidInputError} for a refused update and otherwise returns the whole next task, which a store
 * persists as it is. The `update` must already be validated (see `validateUpdateInput`).
 *
 * Rules beyond the table: `updatedAt` is always `now`; COMPLETED and FAILED set `completedAt`; CLAIMED
 * sets `startedAt`; PENDING clears the agent, start and finish times, result and error, so a task put
 * back in line carries nothing stale, and refuses an agent, result or error sent with it. A terminal task
 * accepts only metadata changes.
 *
 * ### Examples
 * ```ts
 * const next = planUpdate(task, { status: TaskStatus.COMPLETED, result: 'ok' }, Date.now());
 * ```
 */
export function planUpdate(current: Task, update: UpdateTaskInput, now: number): Task {
  const from = current.status;
  const to = update.status ?? from;
  const next: Task = { ...current, updatedAt: now };

  if (isTerminal(from)) {
    const touchesMoreThanMetadata =
      update.status !== undefined ||
      update.assignedAgent !== undefined ||
      update.result !== undefined ||
      update.error !== undefined;
    if (touchesMoreThanMetadata) {
      throw new InvalidTransitionError(
        current.id,
        from,
        to,
        to === from
          ? `Task ${current.id} is already ${from}, which is final; only its metadata can change. Create a new task to run the work again.`
          : `Task ${current.id} is ${from}, which is final; it cannot become ${to}. Create a new task to run the work again.`,
      );
    }
  } else if (to !== from) {
    if (!canTransition(from, to)) {
      throw new InvalidTransitionError(
        current.id,
        from,
        to,
        `Task ${current.id} cannot go from ${from} to ${to}. Allowed from ${from}: ${TRANSITIONS[from].join(', ')}.`,
      );
    }
    next.status = to;
    if (to === PENDING) {
      next.assignedAgent = undefined;
      next.startedAt = undefined;
      next.completedAt = undefined;
      next.result = undefined;
      next.error = undefined;
    } else if (to === CLAIMED) {
      if (update.assignedAgent === undefined) {
        throw new InvalidInputError(
          'assignedAgent',
          `Task ${current.id}: claiming needs an agent; call claimTask(agentName) or pass assignedAgent.`,
          {
            taskId: current.id,
          },
        );
      }
      next.startedAt = now;
    } else if (to === COMPLETED || to === FAILED) {
      next.completedAt = now;
    }
  }

  if (to === PENDING) {
    // A task waiting in line has no holder and no outcome, whatever the caller sends along.
    for (const field of ['assignedAgent', 'result', 'error'] as const) {
      if (update[field] !== undefined) {
        throw new InvalidInputError(field, `Task ${current.id}: a pending task has no ${field}; omit it.`, {
          taskId: current.id,
        });
      }
    }
  }
  if (update.assignedAgent !== undefined) next.assignedAgent = update.assignedAgent;
  if (update.result !== undefined) next.result = update.result;
  if (update.error !== undefined) next.error = update.error;
  if (update.metadata !== undefined) next.metadata = update.metadata;
  return next;
}
