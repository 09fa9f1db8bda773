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
}

/** Counts kept by triggers for what the live index cannot count cheaply. @internal */
export interface TaskCountsTable {
  /** `total`, `failed` or `cancelled`. */
  name: string;
  count: number;
}

/** A `tasks` row as better-sqlite3 returns it. @internal */
export interface TaskRow {
  seq: number;
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
}
