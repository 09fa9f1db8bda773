import type { Task } from './task.js';
import { TaskStatus } from './task.js';

/**
 * How one field of a task is written by a hot-path transition, as data: core's planner applies it to a
 * task, and a database driver compiles the same data into its one-statement write, so neither restates
 * the rule by hand. Every value is computed from the task as it was before the write (as SQL does).
 *
 * - `value`: a constant (a status, or `null` for "unset");
 * - `now`: the write's time;
 * - `nowUnlessStatus`: the write's time, unless the task already has `status` (then unchanged);
 * - `plusOne`: the field's value + 1;
 * - `param`: a value the caller gives (`agent`, the claimant; `result`, the completion's result);
 * - `lease`: a lease from now, the task's `leaseMs` (or the store's default) long, never past the
 *   attempt's deadline: `timeoutMs` after `now` (a new attempt) or after `startedAt` (a running one).
 */
export type FieldWrite =
  | { readonly kind: 'value'; readonly value: TaskStatus | null }
  | { readonly kind: 'now' }
  | { readonly kind: 'nowUnlessStatus'; readonly status: TaskStatus }
  | { readonly kind: 'plusOne' }
  | { readonly kind: 'param'; readonly param: 'agent' | 'result' }
  | { readonly kind: 'lease'; readonly deadlineFrom: 'now' | 'startedAt' };

/** The task fields a hot-path transition may write. */
export type WrittenField =
  | 'status'
  | 'assignedAgent'
  | 'updatedAt'
  | 'startedAt'
  | 'completedAt'
  | 'result'
  | 'error'
  | 'runAt'
  | 'attempts'
  | 'leaseToken'
  | 'leaseExpiresAt';

/** What one transition writes, field by field, in the order a driver's statement lists them. */
export type TransitionWrites = Readonly<Partial<Record<WrittenField, FieldWrite>>>;

/** The values a transition's `param` and `lease` writes read. */
export interface TransitionValues {
  now: number;
  /** The store's default lease length, for tasks created without `leaseMs`. */
  leaseMs: number;
  agent?: string;
  result?: string | null;
}

const NOW: FieldWrite = { kind: 'now' };
const UNSET: FieldWrite = { kind: 'value', value: null };
const PLUS_ONE: FieldWrite = { kind: 'plusOne' };

/**
 * A claim of a pending task: CLAIMED by the agent, a new attempt, a new fencing token, a fresh lease, no
 * delay left.
 */
export const CLAIM_WRITES: TransitionWrites = {
  status: { kind: 'value', value: TaskStatus.CLAIMED },
  assignedAgent: { kind: 'param', param: 'agent' },
  updatedAt: NOW,
  startedAt: NOW,
  completedAt: UNSET,
  result: UNSET,
  runAt: UNSET,
  attempts: PLUS_ONE,
  leaseToken: PLUS_ONE,
  leaseExpiresAt: { kind: 'lease', deadlineFrom: 'now' },
};

/** The holder starts work: IN_PROGRESS; already IN_PROGRESS stays as it is. */
export const START_WRITES: TransitionWrites = {
  status: { kind: 'value', value: TaskStatus.IN_PROGRESS },
  updatedAt: { kind: 'nowUnlessStatus', status: TaskStatus.IN_PROGRESS },
};

/** The holder renews its lease: a full length from now, up to the attempt's deadline. */
export const HEARTBEAT_WRITES: TransitionWrites = {
  leaseExpiresAt: { kind: 'lease', deadlineFrom: 'startedAt' },
};

/** The holder is done: COMPLETED with its result, the lease and any earlier attempt's error gone. */
export const COMPLETE_WRITES: TransitionWrites = {
  status: { kind: 'value', value: TaskStatus.COMPLETED },
  result: { kind: 'param', param: 'result' },
  error: UNSET,
  completedAt: NOW,
  updatedAt: NOW,
  leaseExpiresAt: UNSET,
};

/**
 * Apply a transition's writes to `task`: the planner every store shares, and what a database's
 * compiled statement must agree with.
 *
 * ### Examples
 * ```ts
 * const claimed = applyWrites(task, CLAIM_WRITES, { now: Date.now(), leaseMs: 60_000, agent: 'agent-1' });
 * ```
 */
export function applyWrites(task: Task, writes: TransitionWrites, values: TransitionValues): Task {
  const next: Task = { ...task };
  const target = next as unknown as Record<WrittenField, unknown>;
  for (const [field, write] of Object.entries(writes) as [WrittenField, FieldWrite][]) {
    target[field] = writtenValue(task, field, write, values);
  }
  return next;
}

/** When the attempt started at `startedAt` must stop, or `undefined` without a timeout. */
export function attemptDeadline(task: Pick<Task, 'startedAt' | 'timeoutMs'>): number | undefined {
  return task.timeoutMs === undefined || task.startedAt === undefined ? undefined : task.startedAt + task.timeoutMs;
}

/** A lease taken or renewed at `now`: the task's lease length, never past the attempt's deadline. */
export function leaseExpiry(
  task: Pick<Task, 'startedAt' | 'timeoutMs' | 'leaseMs'>,
  now: number,
  leaseMs: number,
): number {
  return leaseUntil(now, task.leaseMs ?? leaseMs, attemptDeadline(task));
}

/** `length` from `now`, never past `deadline`. */
function leaseUntil(now: number, length: number, deadline: number | undefined): number {
  return deadline === undefined ? now + length : Math.min(now + length, deadline);
}

function writtenValue(task: Task, field: WrittenField, write: FieldWrite, values: TransitionValues): unknown {
  switch (write.kind) {
    case 'value':
      return write.value ?? undefined;
    case 'now':
      return values.now;
    case 'nowUnlessStatus':
      return task.status === write.status ? task[field] : values.now;
    case 'plusOne':
      return (task[field] as number) + 1;
    case 'param':
      return write.param === 'agent' ? values.agent : (values.result ?? undefined);
    case 'lease': {
      // A new attempt's deadline runs from now; a running one's from when it started.
      const startedAt = write.deadlineFrom === 'now' ? values.now : task.startedAt;
      return leaseUntil(
        values.now,
        task.leaseMs ?? values.leaseMs,
        attemptDeadline({ startedAt, timeoutMs: task.timeoutMs }),
      );
    }
  }
}
