/**
 * The lifecycle states of a task. Values are the strings stored in the `status` column.
 *
 * ### Examples
 * ```ts
 * import { TaskStatus } from '@omc/core';
 * TaskStatus.IN_PROGRESS; // 'in_progress'
 * ```
 */
export const TaskStatus = {
  PENDING: 'pending',
  CLAIMED: 'claimed',
  IN_PROGRESS: 'in_progress',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
} as const;

/** One of the values of {@link TaskStatus}. */
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

/**
 * Claim priority: higher is claimed first. Values are the integers stored in the `priority` column.
 *
 * ### Examples
 * ```ts
 * import { TaskPriority } from '@omc/core';
 * TaskPriority.CRITICAL; // 3
 * ```
 */
export const TaskPriority = {
  LOW: 0,
  MEDIUM: 1,
  HIGH: 2,
  CRITICAL: 3,
} as const;

/** One of the values of {@link TaskPriority}. */
export type TaskPriority = (typeof TaskPriority)[keyof typeof TaskPriority];

/** Every status, in lifecycle order. */
export const TASK_STATUSES: readonly TaskStatus[] = Object.freeze(Object.values(TaskStatus));

/** Every priority, lowest first. */
export const TASK_PRIORITIES: readonly TaskPriority[] = Object.freeze(Object.values(TaskPriority));

/** Custom data attached to a task; must survive `JSON.stringify`/`JSON.parse` unchanged. */
export type TaskMetadata = Record<string, unknown>;

/**
 * A task as every store returns it. Timestamps are epoch milliseconds; absent values are `undefined`.
 *
 * ### Examples
 * ```ts
 * const task = pool.claimTask('agent-1');
 * if (task) console.log(task.id, task.status, task.assignedAgent, task.startedAt);
 * ```
 */
export interface Task {
  /** A UUID. */
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** The agent that claimed the task; cleared when the task goes back to PENDING. */
  assignedAgent?: string;
  createdAt: number;
  updatedAt: number;
  /** Set when the task is claimed. */
  startedAt?: number;
  /** Set when the task becomes COMPLETED or FAILED. */
  completedAt?: number;
  result?: string;
  /** What went wrong: the last attempt's error while the task waits for a retry, the final one when FAILED. */
  error?: string;
  metadata?: TaskMetadata;
  /**
   * Attempts so far: every claim counts one (the current one included), a voluntary release gives it back,
   * and `retryTask` starts again from 0.
   */
  attempts: number;
  /** The attempt after which a failure or an expired lease fails the task for good instead of retrying. */
  maxAttempts: number;
  /** While PENDING: not claimable before this time (a delay, or a retry's backoff). Cleared once claimed. */
  runAt?: number;
  /**
   * The fencing token of the current (or last) claim: it grows by one with every claim, so a holder whose
   * lease was taken over holds a stale token and its writes are refused. 0 before the first claim.
   */
  leaseToken: number;
  /** While CLAIMED or IN_PROGRESS: when the lease ends unless the holder sends a heartbeat. */
  leaseExpiresAt?: number;
  /** This task's lease length; `undefined` means the store's default. */
  leaseMs?: number;
  /** Longest an attempt may run, from its claim; the lease never extends past it. */
  timeoutMs?: number;
  /** The key the task was created with; a second create with it returns this task. */
  idempotencyKey?: string;
  /**
   * Capabilities an agent must declare to claim this task (e.g. `['code', 'test']`); `undefined` when any
   * agent may. Sorted, without duplicates.
   */
  requires?: string[];
  /**
   * Ids of the tasks this one waits for: it is claimable only once all of them are COMPLETED, and it is
   * cancelled (its error naming the dependency) when one of them is FAILED or CANCELLED. `undefined` when
   * it waits for nothing. In the order given at creation.
   */
  dependsOn?: string[];
}

/** What `createTask` accepts. */
export interface CreateTaskInput {
  /**
   * The new task's id, chosen by the caller (a lowercase UUID, e.g. from `newTaskId()`), so that a later
   * task of the same `createTasks` batch can list it in `dependsOn`. Must not belong to an existing task.
   * Default: a fresh id.
   */
  id?: string;
  /** A short, non-empty name. */
  title: string;
  /** What is to be done; non-empty. */
  description: string;
  /** Defaults to {@link TaskPriority.MEDIUM}. */
  priority?: TaskPriority;
  /** JSON-serialisable custom data, at most the store's metadata size limit. */
  metadata?: TaskMetadata;
  /** Attempts before the task fails for good (an integer ≥ 1). Default: the store's (3). */
  maxAttempts?: number;
  /** Epoch ms before which the task is not claimable. A past time means now. */
  runAt?: number;
  /** Lease length for this task's claims, in ms (an integer ≥ 1). Default: the store's (5 minutes). */
  leaseMs?: number;
  /** Longest an attempt may run, in ms from its claim (an integer ≥ 1). Default: no limit. */
  timeoutMs?: number;
  /**
   * Creating again with a key that a task already has returns that task (whatever its state) instead of
   * adding a duplicate. A non-empty string of at most 255 characters.
   */
  idempotencyKey?: string;
  /**
   * Capabilities an agent needs to claim this task: non-empty strings of at most 64 characters, at most
   * 32 of them. An empty array is the same as none.
   */
  requires?: readonly string[];
  /**
   * Ids of existing tasks (or of tasks earlier in the same `createTasks` batch) this one waits for; at most
   * 1 000, each once, never the task itself. A dependency already FAILED or CANCELLED creates the task
   * CANCELLED at once, naming it.
   */
  dependsOn?: readonly string[];
}

/** What `updateTask` accepts. Every field is optional; only given fields change. */
export interface UpdateTaskInput {
  /** A new status; the transition must be allowed by {@link canTransition}. */
  status?: TaskStatus;
  assignedAgent?: string;
  /** The outcome, usually with COMPLETED. */
  result?: string;
  /** What went wrong, usually with FAILED. */
  error?: string;
  /** Replaces the whole metadata object. */
  metadata?: TaskMetadata;
}

/**
 * Which tasks `getTasks` returns. Conditions combine with AND. Results are ordered by priority
 * (highest first), then creation time (oldest first), then creation order.
 *
 * ### Examples
 * ```ts
 * pool.getTasks({ status: TaskStatus.PENDING, priority: TaskPriority.CRITICAL, limit: 50 });
 * // Every task, a page at a time:
 * for (let page = pool.getTasks({ limit: 1000 }); page.length > 0; ) {
 *   page = pool.getTasks({ limit: 1000, after: page[page.length - 1]!.id });
 * }
 * ```
 */
export interface TaskFilter {
  status?: TaskStatus;
  assignedAgent?: string;
  priority?: TaskPriority;
  /** At most this many tasks (a positive integer). */
  limit?: number;
  /** Skip this many matching tasks first (a non-negative integer). Not with `after`. */
  offset?: number;
  /**
   * A task id: return only tasks after that task in the listing order (keyset paging). Each page costs
   * the same however deep it is, where a large `offset` costs its size. Pass the last task of a page to
   * get the next one; the cursor task must still exist.
   */
  after?: string;
}

/** Task counts by status. */
export interface TaskStats {
  total: number;
  pending: number;
  claimed: number;
  inProgress: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/** The {@link TaskStats} key for each status. */
export const STATS_KEY: Readonly<Record<TaskStatus, Exclude<keyof TaskStats, 'total'>>> = Object.freeze({
  pending: 'pending',
  claimed: 'claimed',
  in_progress: 'inProgress',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
});

/** Stats with every count at zero. */
export function emptyStats(): TaskStats {
  return { total: 0, pending: 0, claimed: 0, inProgress: 0, completed: 0, failed: 0, cancelled: 0 };
}
