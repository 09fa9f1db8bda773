// Creating tasks: one plain insert, a batch from arrays, the checked insert (idempotency key,
// dependencies) with its edges, and the reads around them.

import { TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { type Builder, compile, param, type Statement } from '../query-builder.js';
import { TASK_COLUMNS } from '../schema.js';
import { HAS_PLANNED_HISTORY, insertHistory, PLANNED_HISTORY } from './history.js';

/**
 * The columns a new task's row takes from the task, in order: the one list from which the plain insert,
 * the batch's arrays and the checked insert are built, so none gains or loses a column alone.
 * @internal
 */
export const NEW_TASK_COLUMNS = [
  ['id', 'text'],
  ['title', 'text'],
  ['description', 'text'],
  ['priority', 'int'],
  ['created_at', 'bigint'],
  ['metadata', 'text'],
  ['max_attempts', 'int'],
  ['run_at', 'bigint'],
  ['lease_ms', 'bigint'],
  ['timeout_ms', 'bigint'],
  ['requires', 'text[]'],
] as const;

const NEW_COLUMNS = NEW_TASK_COLUMNS.map(([column]) => column);

function newValues() {
  const values: Record<string, unknown> = {};
  for (const [column, type] of NEW_TASK_COLUMNS) values[column] = param(column, type);
  return values;
}

/** One new PENDING task; no row when its id is taken (nothing inserted). @internal */
export function insertTask(b: Builder): Statement {
  return compile(
    b
      .insertInto('tasks')
      .values({
        ...newValues(),
        status: sql.lit(TaskStatus.PENDING),
        updated_at: param('created_at', 'bigint'),
      } as never)
      .onConflict((conflict) => conflict.column('id').doNothing()),
  );
}

/**
 * Many new PENDING tasks in one statement: each column arrives as one array (`$<column>s`), unpacked
 * side by side by `unnest`, in order (so `seq` follows the batch). `requires` arrives as JSON text per
 * task, since an array of arrays would be flattened. All or nothing: a taken id fails the statement.
 * @internal
 */
export function insertTasks(b: Builder): Statement {
  const scalar = NEW_TASK_COLUMNS.filter(([column]) => column !== 'requires');
  const arrays = sql.join([
    ...scalar.map(([column, type]) => param(`${column}s`, `${type}[]` as 'text[]')),
    param('requiress', 'text[]'),
  ]);
  const names = sql.raw([...scalar.map(([column]) => column), 'requires_json'].join(', '));
  return compile(
    b
      .insertInto('tasks')
      .columns([...NEW_COLUMNS, 'status', 'updated_at'])
      .expression(
        b
          .selectFrom(sql`unnest(${arrays})`.as(sql`batch(${names})` as never))
          .select([
            ...scalar.map(([column]) => sql.ref(column).as(column)),
            sql`case when requires_json is null then null else array(select jsonb_array_elements_text(requires_json::jsonb)) end`.as(
              'requires',
            ),
            sql.lit(TaskStatus.PENDING).as('status'),
            sql.ref('created_at').as('updated_at'),
          ]),
      ),
  );
}

/**
 * A checked task (an idempotency key or dependencies) in one statement: its row with every field the
 * store decided (it may arrive CANCELLED, with its history row), an edge per dependency in `$waitingOn`,
 * and those dependencies flagged as having dependants. The flag write bumps their version, so a
 * decided write planned without the flag (a cancel that saw no dependants) fails its compare-and-set.
 * @internal
 */
export function insertCheckedTask(b: Builder): Statement {
  const waitingOn = param('waitingOn', 'text[]');
  return compile(
    b
      .with('inserted', (db) =>
        db
          .insertInto('tasks')
          .values({
            ...newValues(),
            status: param('status', 'text'),
            updated_at: param('updated_at', 'bigint'),
            error: param('error', 'text'),
            idempotency_key: param('idempotency_key', 'text'),
            depends_on: param('depends_on', 'text[]'),
            waiting_on: sql`cardinality(${waitingOn})`,
          } as never)
          .returning('id'),
      )
      .with('edges', (db) =>
        db
          .insertInto('task_dependencies')
          .columns(['depends_on_id', 'task_id'])
          .expression(
            db
              .selectFrom(sql`unnest(${waitingOn})`.as(sql`dependency(id)` as never))
              .select([sql.ref('id').as('depends_on_id'), param('id', 'text').as('task_id')]),
          ),
      )
      .with('flagged', (db) =>
        db
          .updateTable('tasks')
          .set({ has_dependants: true, version: sql`version + 1` })
          .where(sql<boolean>`id = any(${waitingOn}) and not has_dependants`),
      )
      .with('logged', () => insertHistory(b, undefined, PLANNED_HISTORY, HAS_PLANNED_HISTORY))
      .selectFrom('inserted')
      .select('id'),
  );
}

/**
 * The status of each of `$ids` that exists. `'lock'`: inside a checked insert, the rows are locked
 * (in id order, so two creators never deadlock), so no dependency can end between this read and the
 * insert that counts on it; its end then waits for the new task's edges and sees them.
 * @internal
 */
export function selectStatuses(b: Builder, lock: 'lock' | 'read'): Statement {
  const query = b
    .selectFrom('tasks')
    .select(['id', 'status'])
    .where(sql<boolean>`id = any(${param('ids', 'text[]')})`)
    .orderBy('id');
  return compile(lock === 'lock' ? query.forNoKeyUpdate() : query);
}

/** The task holding `$key`. @internal */
export function selectByIdempotencyKey(b: Builder): Statement {
  return compile(b.selectFrom('tasks').select(TASK_COLUMNS).where('idempotency_key', '=', param('key', 'text')));
}

/**
 * Serialise the checked inserts of one idempotency key until the transaction ends, so two processes
 * creating with the same key at once make one task: the second reads the first's, committed.
 * @internal
 */
export function lockIdempotencyKey(b: Builder): Statement {
  return compile(b.selectNoFrom(sql`pg_advisory_xact_lock(hashtext(${param('lockKey', 'text')}))`.as('locked')));
}
