import { TaskStatus } from '@omc/core';
import { type Generated, sql } from 'kysely';

/**
 * The tables as Kysely sees them: the one place their column names and types live. Times are epoch
 * milliseconds in `bigint` columns (read back as numbers). `tasks` keeps the guide's table and
 * snake_case column names.
 * @internal
 */
export interface Database {
  tasks: TasksTable;
  task_dependencies: TaskDependenciesTable;
  task_history: TaskHistoryTable;
  task_counts: TaskCountsTable;
  omc_schema_version: SchemaVersionTable;
}

/** @internal */
export interface TasksTable {
  /** Creation order: the claim order's last tie-break, so tasks created in one millisecond stay FIFO. */
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
  /** The metadata's JSON text exactly as the store serialised it (text, not jsonb, which would reorder keys). */
  metadata: string | null;
  /** Bumped by every write: the compare-and-set token of decided writes. */
  version: Generated<number>;
  attempts: Generated<number>;
  max_attempts: number;
  /** Set only while a pending task is delayed; cleared when it becomes ready. */
  run_at: number | null;
  /** The fencing token: +1 on every claim. */
  lease_token: Generated<number>;
  lease_expires_at: number | null;
  lease_ms: number | null;
  timeout_ms: number | null;
  idempotency_key: string | null;
  /** The capabilities a claimant must declare, sorted; NULL: any agent. */
  requires: string[] | null;
  /** The ids this task waits for, in the order given; NULL: none. */
  depends_on: string[] | null;
  /** How many of its dependencies (through its edges) are not COMPLETED yet: claimable only at 0. */
  waiting_on: Generated<number>;
  /** Once another task depends on this one: only such a task's completion or failure looks for dependants. */
  has_dependants: Generated<boolean>;
}

/** Who waits for whom, keyed by the dependency. @internal */
export interface TaskDependenciesTable {
  depends_on_id: string;
  task_id: string;
}

/** One row per status change, written by the statement that makes the change. @internal */
export interface TaskHistoryTable {
  task_id: string;
  seq: Generated<number>;
  from_status: string;
  to_status: string;
  agent: string | null;
  attempt: number;
  at: number;
  reason: string | null;
}

/**
 * Counts kept by triggers for what no small index can count: the total, failed and cancelled, each
 * spread over slots (a backend writes the slot of its process id) so concurrent writers do not queue on
 * one row. @internal
 */
export interface TaskCountsTable {
  name: string;
  slot: number;
  count: number;
}

/** One row per applied migration. @internal */
export interface SchemaVersionTable {
  version: number;
  name: string;
  applied_at: Generated<Date>;
}

/** The columns every task query reads. `history` lives in its own table. @internal */
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

/** A `tasks` row as `pg` returns it: `bigint` columns may arrive as strings (a pool of the caller's). @internal */
export type TaskRow = { [K in (typeof TASK_COLUMNS)[number]]: unknown };

/** CLAIMED or IN_PROGRESS: the WHERE of the partial held index, spelled once. @internal */
export const heldStatus = sql<boolean>`status in (${sql.lit(TaskStatus.CLAIMED)}, ${sql.lit(TaskStatus.IN_PROGRESS)})`;

/** Not COMPLETED, FAILED or CANCELLED. @internal */
export function unfinished(column = 'status') {
  return sql<boolean>`${sql.ref(column)} in (${sql.lit(TaskStatus.PENDING)}, ${sql.lit(TaskStatus.CLAIMED)}, ${sql.lit(TaskStatus.IN_PROGRESS)})`;
}

/** How many slots each counter has. @internal */
export const COUNTER_SLOTS = 16;

/** The statuses `task_counts` counts, besides the total. @internal */
export const COUNTED_STATUSES = [TaskStatus.FAILED, TaskStatus.CANCELLED] as const;
