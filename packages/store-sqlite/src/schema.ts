import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them: the one place the schema's column names and types live.
 * `tasks` keeps the guide's table and snake_case columns, so its raw-SQL examples keep working.
 * @internal
 */
export interface Database {
  tasks: TasksTable;
  task_counts: TaskCountsTable;
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
 * a 48 µs claim→complete cycle, measured.
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
} as const;
