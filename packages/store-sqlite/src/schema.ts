import { TaskStatus } from '@omc/core';
import { type Generated, sql } from 'kysely';

/**
 * The tables as Kysely sees them: the one place the schema's column names and types live.
 * `tasks` keeps the guide's table and snake_case columns, so its raw-SQL examples keep working.
 * @internal
 */
export interface Database {
  tasks: TasksTable;
  task_counts: TaskCountsTable;
  task_dependencies: TaskDependenciesTable;
}

/** @internal */
export interface TasksTable {
  /** Insertion order: the last claim-order tie-break, so tasks created in one millisecond stay FIFO. */
  seq: Generated<number>;
  id: string;
  title: string;
  description: string;
  status: string;
  priority: number;
  assigned_agent: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
  result: string | null;
  error: string | null;
  metadata: string | null;
  /** Bumped by every write: the compare-and-set token of the pool's read-decide-write. */
  version: Generated<number>;
  attempts: Generated<number>;
  max_attempts: number;
  /** Set only while a pending task is delayed; a claim makes due tasks ready by clearing it. */
  run_at: number | null;
  /** The fencing token: +1 on every claim. */
  lease_token: Generated<number>;
  lease_expires_at: number | null;
  lease_ms: number | null;
  timeout_ms: number | null;
  idempotency_key: string | null;
  /**
   * The task's status changes, one JSON array per line: `[from, to, agent, attempt, at, reason]`. Kept in
   * the row, appended by the same statement that changes the status, so recording costs no extra page.
   */
  history: string | null;
  /** The capabilities a claimant must declare, as a sorted JSON array of names; NULL: any agent. */
  requires: string | null;
  /** The ids this task waits for, as a JSON array in the order given; NULL: none. */
  depends_on: string | null;
  /** How many of `depends_on` are not COMPLETED yet: a task is claimable only at 0. */
  waiting_on: Generated<number>;
  /**
   * 1 once another task depends on this one. A completion of a task without dependants (the common case)
   * is then one statement with no dependency work at all; only a flagged one looks for dependants.
   */
  has_dependants: Generated<number>;
}

/**
 * Who waits for whom, keyed by the dependency: a completion releases, and a failure cancels, the tasks
 * found under its id. Ids rather than rowids, so an edge left by a raw-SQL delete can never point at a
 * new task that reused the rowid. @internal
 */
export interface TaskDependenciesTable {
  depends_on_id: string;
  task_id: string;
}

/** Counts kept by triggers for what the live index cannot count cheaply. @internal */
export interface TaskCountsTable {
  /** `total`, `failed` or `cancelled`. */
  name: string;
  count: number;
}

/**
 * The columns every task query reads, in this order. Rows come back as arrays in this order
 * (better-sqlite3's raw mode), which skips building a keyed object per row inside the driver: 3 µs of
 * a 48 µs claim→complete cycle, measured. `history` is read only by `getTaskHistory`.
 * @internal
 */
export const TASK_COLUMNS = [
  'seq',
  'id',
  'title',
  'description',
  'status',
  'priority',
  'assigned_agent',
  'created_at',
  'updated_at',
  'started_at',
  'completed_at',
  'result',
  'error',
  'metadata',
  'version',
  'attempts',
  'max_attempts',
  'run_at',
  'lease_token',
  'lease_expires_at',
  'lease_ms',
  'timeout_ms',
  'idempotency_key',
  'requires',
  'depends_on',
  'has_dependants',
] as const;

/** A `tasks` row as an array in {@link TASK_COLUMNS} order. @internal */
export type TaskRow = [
  seq: number,
  id: string,
  title: string,
  description: string,
  status: string,
  priority: number,
  assignedAgent: string | null,
  createdAt: number,
  updatedAt: number,
  startedAt: number | null,
  completedAt: number | null,
  result: string | null,
  error: string | null,
  metadata: string | null,
  version: number,
  attempts: number,
  maxAttempts: number,
  runAt: number | null,
  leaseToken: number,
  leaseExpiresAt: number | null,
  leaseMs: number | null,
  timeoutMs: number | null,
  idempotencyKey: string | null,
  requires: string | null,
  dependsOn: string | null,
  hasDependants: number,
];

/** Where {@link TaskRow} keeps each value. @internal */
export const ROW = {
  seq: 0,
  id: 1,
  title: 2,
  description: 3,
  status: 4,
  priority: 5,
  assignedAgent: 6,
  createdAt: 7,
  updatedAt: 8,
  startedAt: 9,
  completedAt: 10,
  result: 11,
  error: 12,
  metadata: 13,
  version: 14,
  attempts: 15,
  maxAttempts: 16,
  runAt: 17,
  leaseToken: 18,
  leaseExpiresAt: 19,
  leaseMs: 20,
  timeoutMs: 21,
  idempotencyKey: 22,
  requires: 23,
  dependsOn: 24,
  hasDependants: 25,
} as const;

/**
 * CLAIMED or IN_PROGRESS: the statuses that hold a lease, and the WHERE of the partial `idx_tasks_lease`.
 * The migration that creates the index and the queries that read it use this one spelling, because
 * SQLite uses a partial index only for a query whose WHERE contains the index's own terms.
 * `new.status` is for triggers. @internal
 */
export function heldStatus(column: 'status' | 'new.status' = 'status') {
  return sql<boolean>`(${sql.raw(column)} = ${sql.lit(TaskStatus.CLAIMED)} or ${sql.raw(column)} = ${sql.lit(TaskStatus.IN_PROGRESS)})`;
}
