import { InvalidInputError, InvalidTransitionError } from './errors.js';
import { DEFAULT_LEASE_POLICY, leaseExpiry } from './lease.js';
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
 * What entering a status does to a task's other fields. {@link planUpdate} applies it; a store that
 * writes a status change in one statement can compile it to SQL, so both follow one definition.
 */
export interface StatusEffect {
  /** CLAIMED: `startedAt` becomes now, and an agent must be given. */
  claims: boolean;
  /** COMPLETED, FAILED: `completedAt` becomes now. */
  finishes: boolean;
  /** PENDING: back in line with no agent, start or finish time, result or error. */
  resets: boolean;
}

/**
 * The effect of entering `status`.
 *
 * ### Examples
 * ```ts
 * statusEffect(TaskStatus.FAILED).finishes; // true
 * ```
 */
export function statusEffect(status: TaskStatus): StatusEffect {
  return {
    claims: status === CLAIMED,
    finishes: status === COMPLETED || status === FAILED,
    resets: status === PENDING,
  };
}

/**
 * The input error a status change would raise whatever the task's current state (a claim without an
 * agent; an agent, result or error sent with PENDING), or undefined. A store that writes a status change
 * in one guarded statement checks this first, and leaves any other case to {@link planUpdate}.
 */
export function statusChangeInputError(taskId: string, update: UpdateTaskInput): InvalidInputError | undefined {
  const to = update.status;
  if (to === undefined) return undefined;
  const effect = statusEffect(to);
  if (effect.claims && update.assignedAgent === undefined) {
    return new InvalidInputError(
      'assignedAgent',
      `Task ${taskId}: claiming needs an agent; call claimTask(agentName) or pass assignedAgent.`,
      { taskId },
    );
  }
  return effect.resets ? pendingFieldError(taskId, update) : undefined;
}

function pendingFieldError(taskId: string, update: UpdateTaskInput): InvalidInputError | undefined {
  // A task waiting in line has no holder and no outcome, whatever the caller sends along.
  for (const field of ['assignedAgent', 'result', 'error'] as const) {
    if (update[field] !== undefined) {
      return new InvalidInputError(field, `Task ${taskId}: a pending task has no ${field}; omit it.`, { taskId });
    }
  }
  return undefined;
}

/**
 * Decide what a task becomes under an update. Pure: it throws {@link InvalidTransitionError} or
 * {@link InvalidInputError} for a refused update and otherwise returns the whole next task, which a store
 * persists as it is. The `update` must already be validated (see `validateUpdateInput`).
 *
 * Rules beyond the table: `updatedAt` is always `now`; COMPLETED and FAILED set `completedAt`; CLAIMED
 * sets `startedAt`; PENDING clears the agent, start and finish times, result and error, so a task put
 * back in line carries nothing stale, and refuses an agent, result or error sent with it. A terminal task
 * accepts only metadata changes. Leases follow the status: CLAIMED counts an attempt and takes a new
 * fencing token and a lease of `leaseMs` (so an operator's claim expires like any other); leaving
 * CLAIMED/IN_PROGRESS ends the lease, so the previous holder's fenced writes are refused.
 *
 * ### Examples
 * ```ts
 * const next = planUpdate(task, { status: TaskStatus.COMPLETED, result: 'ok' }, Date.now());
 * ```
 */
export function planUpdate(
  current: Task,
  update: UpdateTaskInput,
  now: number,
  leaseMs: number = DEFAULT_LEASE_POLICY.leaseMs,
): Task {
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
    const inputError = statusChangeInputError(current.id, update);
    if (inputError) throw inputError;
    const effect = statusEffect(to);
    next.status = to;
    if (effect.resets) {
      next.assignedAgent = undefined;
      next.startedAt = undefined;
      next.completedAt = undefined;
      next.result = undefined;
      next.error = undefined;
      next.runAt = undefined;
    }
    if (to !== CLAIMED && to !== IN_PROGRESS) next.leaseExpiresAt = undefined;
    if (effect.claims) {
      next.startedAt = now;
      next.runAt = undefined;
      next.attempts = current.attempts + 1;
      next.leaseToken = current.leaseToken + 1;
      next.leaseExpiresAt = leaseExpiry(next, now, leaseMs);
    }
    if (effect.finishes) next.completedAt = now;
  } else if (to === PENDING) {
    const inputError = pendingFieldError(current.id, update);
    if (inputError) throw inputError;
  }

  if (update.assignedAgent !== undefined) next.assignedAgent = update.assignedAgent;
  if (update.result !== undefined) next.result = update.result;
  if (update.error !== undefined) next.error = update.error;
  if (update.metadata !== undefined) next.metadata = update.metadata;
  return next;
}
