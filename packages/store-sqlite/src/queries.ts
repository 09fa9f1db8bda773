import { type TaskFilter, TaskStatus } from '@omc/core';
import { type SelectQueryBuilder, sql, type UpdateQueryBuilder } from 'kysely';
import { HOLDER_PREFIX, historyPlusLine } from './history-codec.js';
import { builder, type CompiledShape, compile, param } from './query-builder.js';
import { type Database, heldStatus, TASK_COLUMNS } from './schema.js';

/**
 * `tasks INDEXED BY <index>`. Without statistics SQLite's planner prefers the guide's plain `idx_status`
 * for the claim and sorts every pending task (a temp B-tree per claim). Naming the index pins the plan,
 * and SQLite refuses the statement outright if the index is ever missing. Kysely has no INDEXED BY,
 * hence the raw table reference.
 */
function tasksIndexedBy(index: string): 'tasks' {
  return sql.raw(`tasks indexed by ${index}`) as unknown as 'tasks';
}

// Every statement the pool runs, built once with Kysely. Values that change per call are named
// parameters; constants are compiled in.

/**
 * A LIMIT or OFFSET bound at run time, wrapped in a cast. SQLite's planner reads the value of a bare
 * `LIMIT ?` and so marks the statement stale whenever that parameter is bound again: every run then
 * prepared the whole statement anew (measured: a one-task batch claim 166 µs instead of 30). The cast
 * hides the parameter from the planner; the value is the same.
 */
function boundCount(name: string) {
  return sql<number>`cast(${param<number>(name)} as integer)`;
}

const newTaskValues = {
  id: param<string>('id'),
  title: param<string>('title'),
  description: param<string>('description'),
  status: sql.lit(TaskStatus.PENDING),
  priority: param<number>('priority'),
  created_at: param<number>('now'),
  updated_at: param<number>('now'),
  metadata: param<string | null>('metadata'),
  max_attempts: param<number>('maxAttempts'),
  run_at: param<number | null>('runAt'),
  lease_ms: param<number | null>('leaseMs'),
  timeout_ms: param<number | null>('timeoutMs'),
  requires: param<string | null>('requires'),
};

/** @internal */
export const insertTask = compile(builder.insertInto('tasks').values(newTaskValues));

/**
 * A task with an idempotency key or dependencies: every column the pool decides at creation. With a key
 * a task already has, nothing happens (the pool returns that task). A task whose dependency already
 * failed arrives CANCELLED, with its error and history line. @internal
 */
export const insertFullTask = compile(
  builder
    .insertInto('tasks')
    .values({
      ...newTaskValues,
      status: param<string>('status'),
      updated_at: param<number>('updatedAt'),
      error: param<string | null>('error'),
      history: param<string | null>('history'),
      idempotency_key: param<string | null>('idempotencyKey'),
      depends_on: param<string | null>('dependsOn'),
      waiting_on: param<number>('waitingOn'),
    })
    .onConflict((conflict) => conflict.column('idempotency_key').where('idempotency_key', 'is not', null).doNothing()),
);

/** The tasks, among the ids of the JSON array `:ids`, that exist: their id and status. @internal */
export const selectStatusesOf = compile(
  builder
    .selectFrom('tasks')
    .select(['id', 'status'])
    .where('id', 'in', sql<string>`(select value from json_each(${param('ids')}))`),
);

/** The edges of a new task: one per dependency not yet COMPLETED (`:ids`). @internal */
export const insertDependencies = compile(
  builder
    .insertInto('task_dependencies')
    .columns(['depends_on_id', 'task_id'])
    .expression(
      builder
        .selectFrom(sql`json_each(${param('ids')})`.as('batch'))
        .select([sql<string>`value`.as('depends_on_id'), sql<string>`${param('taskId')}`.as('task_id')]),
    ),
);

/**
 * Flag the dependencies a new task waits for. The version bump makes a concurrent read-decide-write of a
 * dependency (a cancel that decided there was nothing to cascade) fail its compare-and-set and decide
 * again. @internal
 */
export const markHasDependants = compile(
  builder
    .updateTable('tasks')
    .set({ has_dependants: sql.lit(1), version: sql<number>`${sql.ref('version')} + 1` })
    .where('id', 'in', sql<string>`(select value from json_each(${param('ids')}))`)
    .where('has_dependants', '=', sql.lit(0)),
);

/** @internal */
export const selectByIdempotencyKey = compile(
  builder.selectFrom('tasks').select(TASK_COLUMNS).where('idempotency_key', '=', param<string>('idempotencyKey')),
);

/**
 * Many tasks in one statement: the batch arrives as one JSON array of `[id, title, description, priority,
 * metadata, maxAttempts, runAt, leaseMs, timeoutMs, requires]` rows (`requires` as JSON text) and SQLite unpacks it with json_each. One
 * statement per batch instead of one per task skips the per-call cost of binding and stepping: 127 000 → 189 000 inserts/s for 100 000 tasks in
 * batches of 1 000, measured (statement level).
 * @internal
 */
export const insertTasksFromJson = compile(
  builder
    .insertInto('tasks')
    .columns([
      'id',
      'title',
      'description',
      'status',
      'priority',
      'created_at',
      'updated_at',
      'metadata',
      'max_attempts',
      'run_at',
      'lease_ms',
      'timeout_ms',
      'requires',
    ])
    .expression(
      builder
        .selectFrom(sql`json_each(${param('rows')})`.as('batch'))
        .select([
          sql<string>`value ->> 0`.as('id'),
          sql<string>`value ->> 1`.as('title'),
          sql<string>`value ->> 2`.as('description'),
          sql.lit(TaskStatus.PENDING).as('status'),
          sql<number>`value ->> 3`.as('priority'),
          sql<number>`${param('now')}`.as('created_at'),
          sql<number>`${param('now')}`.as('updated_at'),
          sql<string | null>`value ->> 4`.as('metadata'),
          sql<number>`value ->> 5`.as('max_attempts'),
          sql<number | null>`value ->> 6`.as('run_at'),
          sql<number | null>`value ->> 7`.as('lease_ms'),
          sql<number | null>`value ->> 8`.as('timeout_ms'),
          sql<string | null>`value ->> 9`.as('requires'),
        ]),
    ),
);

/**
 * The claim and listing order: priority DESC, then oldest, then first inserted (`seq`, so tasks created in
 * one millisecond stay FIFO). Every query that returns tasks in order applies it through `$call`.
 */
function inClaimOrder<O>(query: SelectQueryBuilder<Database, 'tasks', O>): SelectQueryBuilder<Database, 'tasks', O> {
  return query.orderBy('priority', 'desc').orderBy('created_at', 'asc').orderBy('seq', 'asc');
}

// Pending tasks fall in three disjoint sets, each the exact WHERE of its partial index (SQLite uses a
// partial index only for a query that repeats its terms, with the constants compiled in, not bound).

/** Ready tasks: pending, not delayed, waiting for nothing. The claim index holds exactly these. */
function ready<O>(query: SelectQueryBuilder<Database, 'tasks', O>): SelectQueryBuilder<Database, 'tasks', O> {
  return query
    .where('status', '=', sql.lit(TaskStatus.PENDING))
    .where('run_at', 'is', null)
    .where('waiting_on', '=', sql.lit(0));
}

/** Delayed tasks: pending with a `run_at`, waiting for nothing. `idx_tasks_delayed` holds these, by `run_at`. */
function delayed<O>(query: SelectQueryBuilder<Database, 'tasks', O>): SelectQueryBuilder<Database, 'tasks', O> {
  return query
    .where('status', '=', sql.lit(TaskStatus.PENDING))
    .where('run_at', 'is not', null)
    .where('waiting_on', '=', sql.lit(0));
}

/** Tasks waiting for a dependency, delayed or not. `idx_tasks_waiting` holds these, in listing order. */
function waiting<O>(query: SelectQueryBuilder<Database, 'tasks', O>): SelectQueryBuilder<Database, 'tasks', O> {
  return query.where('status', '=', sql.lit(TaskStatus.PENDING)).where('waiting_on', '<>', sql.lit(0));
}

/** CLAIMED or IN_PROGRESS, spelled as `idx_tasks_lease`'s WHERE so the planner can use it. */
const held = heldStatus();

/** The next tasks to claim, in claim order: the first entries of the claim index. */
function nextReady(limit: 'one' | 'limit') {
  return builder
    .selectFrom(tasksIndexedBy('idx_tasks_claim'))
    .select('seq')
    .$call(ready)
    .$call(inClaimOrder)
    .limit(limit === 'one' ? sql.lit(1) : boundCount('limit'));
}

/** The next task to claim: the first entry of the claim index. @internal */
export const nextPending = nextReady('one');

/** Each name the task requires is among `:capabilities`, a JSON array. */
const requiresOnly = sql<boolean>`not exists (select 1 from json_each(requires) as need where need.value not in (select cap.value from json_each(${param('capabilities')}) as cap))`;

/**
 * A task the agent can do: it requires nothing (tested first, so such a task costs one NULL test), or
 * each name it requires is among `:capabilities`.
 */
const withinCapabilities = sql<boolean>`(requires is null or ${requiresOnly})`;

/**
 * The lease a claim or heartbeat at `:now` grants: the task's lease length (or the pool's `:leaseMs`),
 * never past `deadline`, the end of the attempt's timeout. Core's `leaseExpiry` in SQL.
 */
function leaseUntil(deadline: ReturnType<typeof sql>) {
  const renewed = sql`${param('now')} + coalesce(lease_ms, ${param('leaseMs')})`;
  return sql<number>`case when timeout_ms is not null and ${deadline} < ${renewed} then ${deadline} else ${renewed} end`;
}

/**
 * Whether anything is due for upkeep before a claim: a lease that ran out, or a delayed task whose time
 * came. One read of the first entry of two small indexes, so a claim pays for upkeep only when
 * there is some to do (a write transaction per claim measured several µs).
 * @internal
 */
export const upkeepDue = compile(
  builder.selectNoFrom([
    builder
      .selectFrom(tasksIndexedBy('idx_tasks_lease'))
      .select(sql.lit(1).as('due'))
      .where(held)
      .where('lease_expires_at', '<=', param<number>('now'))
      .limit(sql.lit(1))
      .as('expired'),
    builder
      .selectFrom(tasksIndexedBy('idx_tasks_delayed'))
      .select(sql.lit(1).as('due'))
      .$call(delayed)
      .where('run_at', '<=', param<number>('now'))
      .limit(sql.lit(1))
      .as('ready'),
  ]),
);

const expiredAttemptFails = sql<boolean>`attempts >= max_attempts`;

/** Where an expired lease leaves its task: FAILED after the last attempt, else back in line. */
const statusAfterExpiry = sql<string>`case when ${expiredAttemptFails} then ${sql.lit(TaskStatus.FAILED)} else ${sql.lit(TaskStatus.PENDING)} end`;

/** Core's `expiryReason` in SQL (column values are the ones before the update). */
const expiryReason = sql<string>`'attempt ' || attempts || ' of ' || max_attempts || ' by ' || coalesce(assigned_agent, 'an unknown agent') || ': ' || case
  when timeout_ms is not null and started_at + timeout_ms <= lease_expires_at then 'timed out after ' || timeout_ms || ' ms'
  else 'lease expired without a heartbeat' end`;

/**
 * Reclaim every lease that ran out: back to PENDING (ready at once, the attempt counted) or FAILED after
 * the last attempt, with the reason as the task's error. Core's `planExpiry`, set-based, over the lease
 * index. Returns one row per reclaimed task: its new status, its id, and whether tasks depend on it (a
 * FAILED one takes them down). @internal
 */
export const reclaimExpired = compile(
  builder
    .updateTable(tasksIndexedBy('idx_tasks_lease'))
    .set({
      status: statusAfterExpiry,
      assigned_agent: sql`case when ${expiredAttemptFails} then assigned_agent end`,
      started_at: sql`case when ${expiredAttemptFails} then started_at end`,
      completed_at: sql`case when ${expiredAttemptFails} then ${param<number>('now')} end`,
      error: expiryReason,
      history: historyPlusLine({
        from: sql.ref('status'),
        to: statusAfterExpiry,
        attempt: sql.ref('attempts'),
        at: sql`${param<number>('now')}`,
        reason: expiryReason,
      }),
      result: null,
      run_at: null,
      lease_expires_at: null,
      updated_at: param<number>('now'),
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .where(held)
    .where('lease_expires_at', '<=', param<number>('now'))
    .returning(['status', 'id', 'has_dependants']),
);

/** Make every delayed task whose time came ready: it enters the claim index in its priority order. @internal */
export const promoteDue = compile(
  builder
    .updateTable(tasksIndexedBy('idx_tasks_delayed'))
    .set({ run_at: null, version: sql<number>`${sql.ref('version')} + 1` })
    .where('status', '=', sql.lit(TaskStatus.PENDING))
    .where('run_at', 'is not', null)
    .where('waiting_on', '=', sql.lit(0))
    .where('run_at', '<=', param<number>('now')),
);

/** What a claim writes to each task it takes (core's `planClaim`, in SQL). */
const claimed = {
  status: sql.lit(TaskStatus.CLAIMED),
  assigned_agent: param<string>('agent'),
  updated_at: param<number>('now'),
  started_at: param<number>('now'),
  completed_at: null,
  result: null,
  attempts: sql<number>`attempts + 1`,
  lease_token: sql<number>`lease_token + 1`,
  lease_expires_at: leaseUntil(sql`${param('now')} + timeout_ms`),
  history: historyPlusLine({
    from: TaskStatus.PENDING,
    to: TaskStatus.CLAIMED,
    attempt: sql`attempts + 1`,
    at: sql`${param<number>('now')}`,
    agent: sql`${param<string>('agent')}`,
  }),
  version: sql<number>`${sql.ref('version')} + 1`,
};

/**
 * The claim: one UPDATE whose subquery picks the next pending task by the partial claim index.
 * A single statement takes SQLite's write lock before it reads, so two processes can never pick the
 * same row, and the busy timeout (not the caller) absorbs contention. Tried before settling here:
 * SELECT-then-UPDATE in an IMMEDIATE transaction (same safety, two statements, slower).
 * @internal
 */
export const claimNext = compile(
  builder.updateTable('tasks').set(claimed).where('seq', '=', nextPending).returning(TASK_COLUMNS),
);

/**
 * Up to `:limit` claims in one statement: the first entries of the claim index, each row updated exactly
 * as {@link claimNext} updates its one (its own attempt, token, lease and history line). SQLite collects
 * the chosen rowids before it updates, and returns the rows in no set order: the pool sorts them.
 * @internal
 */
export const claimBatch = compile(
  builder.updateTable('tasks').set(claimed).where('seq', 'in', nextReady('limit')).returning(TASK_COLUMNS),
);

/**
 * Up to `:limit` claims among the tasks an agent with `:capabilities` can do: the claim index in order,
 * stepping over what it cannot do. A statement of its own, so the guide's `claimTask(name)` does no
 * capability work at all.
 * @internal
 */
export const claimBatchWithin = compile(
  builder
    .updateTable('tasks')
    .set(claimed)
    .where('seq', 'in', nextReady('limit').where(withinCapabilities))
    .returning(TASK_COLUMNS),
);

/**
 * Up to `:limit` claims among the tasks that require something, all of it within `:capabilities`: an
 * exclusive claim, for a specialist that leaves general work to others. Read from `idx_tasks_requiring`,
 * which holds only ready tasks that require something, index-only.
 * @internal
 */
export const claimBatchExclusive = compile(
  builder
    .updateTable('tasks')
    .set(claimed)
    .where(
      'seq',
      'in',
      builder
        .selectFrom(tasksIndexedBy('idx_tasks_requiring'))
        .select('seq')
        .$call(ready)
        .where('requires', 'is not', null)
        .where(requiresOnly)
        .$call(inClaimOrder)
        .limit(boundCount('limit')),
    )
    .returning(TASK_COLUMNS),
);

/** The row a lease names, if the lease still holds at `:now`: same token, held, not expired. */
function whereLeaseHolds<O>(
  query: UpdateQueryBuilder<Database, 'tasks', 'tasks', O>,
): UpdateQueryBuilder<Database, 'tasks', 'tasks', O> {
  return query
    .where('id', '=', param<string>('id'))
    .where('lease_token', '=', param<number>('leaseToken'))
    .where(held)
    .where('lease_expires_at', '>', param<number>('now'));
}

/** Fenced CLAIMED → IN_PROGRESS (IN_PROGRESS stays). One indexed write; no row when the lease is gone. @internal */
export const startHeld = compile(
  builder
    .updateTable('tasks')
    .set({
      status: sql.lit(TaskStatus.IN_PROGRESS),
      updated_at: sql`case when status = ${sql.lit(TaskStatus.IN_PROGRESS)} then updated_at else ${param('now')} end`,
      history: sql`case when status = ${sql.lit(TaskStatus.IN_PROGRESS)} then history else ${historyPlusLine({
        from: TaskStatus.CLAIMED,
        to: TaskStatus.IN_PROGRESS,
        attempt: sql.ref('attempts'),
        at: sql`${param<number>('now')}`,
      })} end`,
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .$call(whereLeaseHolds),
);

/** Fenced heartbeat: the lease runs a full length from now, never past the attempt's deadline. @internal */
export const heartbeatHeld = compile(
  builder
    .updateTable('tasks')
    .set({
      lease_expires_at: leaseUntil(sql`started_at + timeout_ms`),
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .$call(whereLeaseHolds)
    .returning('lease_expires_at'),
);

/** What a fenced completion writes (core's `planComplete`, in SQL). */
const completed = {
  status: sql.lit(TaskStatus.COMPLETED),
  result: param<string | null>('result'),
  error: null,
  completed_at: param<number>('now'),
  updated_at: param<number>('now'),
  lease_expires_at: null,
  history: historyPlusLine({
    from: sql.ref('status'),
    to: TaskStatus.COMPLETED,
    attempt: sql.ref('attempts'),
    at: sql`${param<number>('now')}`,
  }),
  version: sql<number>`${sql.ref('version')} + 1`,
};

/**
 * Fenced completion of a task that no task waits for: the result is written only under the current,
 * unexpired lease. No row when the lease is gone, or when the task has dependants: the pool then
 * completes it with {@link completeHeldWithDependants} and releases them in one transaction. So the
 * common completion stays one statement and touches no dependency page.
 * @internal
 */
export const completeHeld = compile(
  builder.updateTable('tasks').set(completed).$call(whereLeaseHolds).where('has_dependants', '=', sql.lit(0)),
);

/** Fenced completion of any held task, run in a transaction with {@link releaseDependants}. @internal */
export const completeHeldWithDependants = compile(builder.updateTable('tasks').set(completed).$call(whereLeaseHolds));

/** Not COMPLETED, FAILED or CANCELLED, as an OR chain (see the migrations on IN lists). */
function unfinished(column: string) {
  const ref = sql.ref(column);
  return sql<boolean>`(${ref} = ${sql.lit(TaskStatus.PENDING)} or ${ref} = ${sql.lit(TaskStatus.CLAIMED)} or ${ref} = ${sql.lit(TaskStatus.IN_PROGRESS)})`;
}

/**
 * `:id` completed: each unfinished task waiting for it waits for one dependency fewer. One that waits for
 * nothing more enters the claim index (or the delayed one, while its `run_at` is ahead). Found through
 * the dependency table's key, then each by its id.
 * @internal
 */
export const releaseDependants = compile(
  builder
    .updateTable('tasks')
    .set({
      waiting_on: sql<number>`waiting_on - 1`,
      run_at: sql<
        number | null
      >`case when waiting_on = 1 and run_at <= ${param<number>('now')} then null else run_at end`,
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .where(
      'id',
      'in',
      builder.selectFrom('task_dependencies').select('task_id').where('depends_on_id', '=', param<string>('id')),
    )
    .where(unfinished('status'))
    .where('waiting_on', '>', sql.lit(0)),
);

/** `'dependency <id> failed'` and the like: why a task was cancelled for its dependency `cause`. */
const dependencyError = sql<string>`'dependency ' || cause || ' ' || case when cause = ${param<string>('id')} then ${param<string>('ending')} else 'was cancelled' end`;

/**
 * `:id` failed, was cancelled or is being deleted: every unfinished task that waits for it is CANCELLED,
 * and so on down the chain, in one statement. The walk goes on only through tasks it cancels (a
 * COMPLETED dependant keeps its own dependants), and each task names the dependency nearest the root
 * that took it down (of several equally near, the smallest id); `:ending` says what happened to the
 * root ('failed', 'was cancelled', 'was deleted').
 * @internal
 */
export const cancelDependants = compile(
  builder
    .withRecursive('doomed(task_id, cause, depth)', (db) =>
      db
        .selectFrom('task_dependencies')
        .innerJoin('tasks', 'tasks.id', 'task_dependencies.task_id')
        .select([
          'task_dependencies.task_id',
          sql<string>`${param<string>('id')}`.as('cause'),
          sql<number>`1`.as('depth'),
        ])
        .where('task_dependencies.depends_on_id', '=', param<string>('id'))
        .where(unfinished('tasks.status'))
        .union(
          db
            .selectFrom('doomed')
            .innerJoin('task_dependencies', 'task_dependencies.depends_on_id', 'doomed.task_id')
            .innerJoin('tasks', 'tasks.id', 'task_dependencies.task_id')
            .select([
              'task_dependencies.task_id',
              sql<string>`doomed.task_id`.as('cause'),
              sql<number>`doomed.depth + 1`.as('depth'),
            ])
            .where(unfinished('tasks.status')),
        ),
    )
    .updateTable('tasks')
    .from((db) =>
      // The nearest cause and, of several equally near, the smallest id (as the reference store picks
      // it): the min of depth and id together, the depth zero-padded so the text order is the number's.
      db
        .selectFrom('doomed')
        .select(['task_id as doomed_id', sql<string>`substr(min(printf('%08d', depth) || cause), 9)`.as('cause')])
        .groupBy('task_id')
        .as('chosen'),
    )
    .set({
      status: sql.lit(TaskStatus.CANCELLED),
      error: dependencyError,
      updated_at: param<number>('now'),
      lease_expires_at: null,
      run_at: null,
      history: historyPlusLine({
        from: sql.ref('tasks.status'),
        to: TaskStatus.CANCELLED,
        attempt: sql.ref('tasks.attempts'),
        at: sql`${param<number>('now')}`,
        reason: dependencyError,
      }),
      version: sql<number>`${sql.ref('tasks.version')} + 1`,
    })
    .whereRef('tasks.id', '=', 'chosen.doomed_id'),
);

/** Delete a task, returning what its dependency bookkeeping needs. @internal */
export const deleteReturning = compile(
  builder
    .deleteFrom('tasks')
    .where('id', '=', param<string>('id'))
    .returning(['status', 'has_dependants', 'depends_on']),
);

/** A deleted task's edges to its dependants. @internal */
export const deleteEdgesFrom = compile(
  builder.deleteFrom('task_dependencies').where('depends_on_id', '=', param<string>('id')),
);

/** A deleted task's edges from its own dependencies (`:dependsOn`, its JSON list). @internal */
export const deleteEdgesTo = compile(
  builder
    .deleteFrom('task_dependencies')
    .where('depends_on_id', 'in', sql<string>`(select value from json_each(${param('dependsOn')}))`)
    .where('task_id', '=', param<string>('id')),
);

/** @internal */
export const deleteAllEdges = compile(builder.deleteFrom('task_dependencies'));

/** @internal */
export const selectById = compile(
  builder.selectFrom('tasks').select(TASK_COLUMNS).where('id', '=', param<string>('id')),
);

/**
 * Write a planned task over the row it was planned from: a compare-and-set on the row's version, so a
 * row that anyone changed since it was read (another process, raw SQL) is left alone and re-read.
 * @internal
 */
export const writePlanned = compile(
  builder
    .updateTable('tasks')
    .set({
      status: param<string>('status'),
      assigned_agent: param('assigned_agent'),
      updated_at: param('updated_at'),
      started_at: param('started_at'),
      completed_at: param('completed_at'),
      result: param('result'),
      error: param('error'),
      metadata: param('metadata'),
      attempts: param<number>('attempts'),
      run_at: param('run_at'),
      lease_token: param<number>('lease_token'),
      lease_expires_at: param('lease_expires_at'),
      // `:historyLine` is null when the status did not change. A held task given another agent without
      // a status change gets a holder line, so the holder's later lines (which name no agent) name it.
      history: sql`case when ${param('historyLine')} is not null then coalesce(history, '') || ${param('historyLine')} when status in (${sql.lit(TaskStatus.CLAIMED)}, ${sql.lit(TaskStatus.IN_PROGRESS)}) and ${param('assigned_agent')} is not null and assigned_agent is not ${param('assigned_agent')} then coalesce(history, '') || ${sql.lit(HOLDER_PREFIX)} || json_quote(${param('assigned_agent')}) || char(10) else history end`,
      // A retried task waits again for those of its dependencies (still existing) not COMPLETED: counted
      // in the write itself, so no dependency can complete between the count and the write. Only through
      // its edges: a deleted dependency's id reused by a new task is not its dependency (that task's
      // completion, which releases through the edges, would never count it down).
      waiting_on: sql<number>`case when ${param('recount')} = 1 then (select count(*) from json_each(tasks.depends_on) as dependency join task_dependencies as edge on edge.depends_on_id = dependency.value and edge.task_id = tasks.id join tasks as other on other.id = dependency.value where other.status <> ${sql.lit(TaskStatus.COMPLETED)}) else waiting_on end`,
      version: sql<number>`${param<number>('version')} + 1`,
    })
    .where('seq', '=', param<number>('seq'))
    .where('id', '=', param<string>('id'))
    .where('version', '=', param<number>('version')),
);

/** @internal */
export const deleteAll = compile(builder.deleteFrom('tasks'));

/** @internal */
export const selectCounts = compile(builder.selectFrom('task_counts').select(['name', 'count']));

/**
 * Held and in-progress counts, index-only over the lease index (no GROUP BY, so no sorter): proportional
 * to the live work, never the history. @internal
 */
export const countHeld = compile(
  builder
    .selectFrom(tasksIndexedBy('idx_tasks_lease'))
    .select((eb) => [
      eb.fn.countAll<number>().as('held'),
      sql<number>`coalesce(sum(status = ${sql.lit(TaskStatus.IN_PROGRESS)}), 0)`.as('in_progress'),
    ])
    .where(held),
);

/** A task's history lines. @internal */
export const selectHistory = compile(
  builder.selectFrom('tasks').select(['history', 'created_at']).where('id', '=', param<string>('id')),
);

/**
 * The pending count, index-only over the claim, delayed and waiting indexes: proportional to the queue,
 * never the history. @internal
 */
export const countPending = compile(
  builder.selectNoFrom([
    sql<number>`${builder
      .selectFrom(tasksIndexedBy('idx_tasks_claim'))
      .select((inner) => inner.fn.countAll<number>().as('count'))
      .$call(ready)} + ${builder
      .selectFrom(tasksIndexedBy('idx_tasks_delayed'))
      .select((inner) => inner.fn.countAll<number>().as('count'))
      .$call(delayed)} + ${builder
      .selectFrom(tasksIndexedBy('idx_tasks_waiting'))
      .select((inner) => inner.fn.countAll<number>().as('count'))
      .$call(waiting)}`.as('count'),
  ]),
);

/** Every pending task, ready, delayed and waiting, as one compound source that SQLite merges in order. */
const pendingTasks = builder
  .selectFrom(tasksIndexedBy('idx_tasks_claim'))
  .selectAll()
  .$call(ready)
  .unionAll(builder.selectFrom(tasksIndexedBy('idx_tasks_delayed')).selectAll().$call(delayed))
  .unionAll(builder.selectFrom(tasksIndexedBy('idx_tasks_waiting')).selectAll().$call(waiting));

/** A key naming which filter fields are present: one prepared statement per shape. @internal */
export function filterShapeKey(filter: TaskFilter): string {
  return [
    filter.status === undefined ? '' : filter.status === TaskStatus.PENDING ? 'P' : isHeld(filter.status) ? 'H' : 's',
    filter.assignedAgent === undefined ? '' : 'a',
    filter.priority === undefined ? '' : 'p',
    filter.limit === undefined ? '' : 'l',
    filter.offset === undefined ? '' : 'o',
  ].join('');
}

function isHeld(status: TaskStatus): boolean {
  return status === TaskStatus.CLAIMED || status === TaskStatus.IN_PROGRESS;
}

/** The `getTasks` conditions of one filter shape, before order and paging. */
function filtered(filter: TaskFilter) {
  // Pending is the ready tasks (the claim index, in order) merged with the delayed ones (their index,
  // sorted: usually few). Both pinned with INDEXED BY: unpinned, the planner reads idx_priority for
  // {status, priority} and, after ANALYZE, for every pending shape: the whole history. The status is
  // compiled in as a literal, which lets SQLite match the partial indexes' WHERE (a bound parameter
  // would not). Claimed and in-progress tasks are read from the lease index, which holds only live work,
  // and sorted (the running tasks, not the history). Other statuses walk the listing index in order.
  let query =
    filter.status === TaskStatus.PENDING
      ? builder.selectFrom(pendingTasks.as('tasks')).select(TASK_COLUMNS)
      : filter.status !== undefined && isHeld(filter.status)
        ? builder.selectFrom(tasksIndexedBy('idx_tasks_lease')).select(TASK_COLUMNS).where(held)
        : builder.selectFrom('tasks').select(TASK_COLUMNS);
  if (filter.status !== undefined && filter.status !== TaskStatus.PENDING) {
    query = query.where('status', '=', param<string>('status'));
  }
  if (filter.assignedAgent !== undefined) query = query.where('assigned_agent', '=', param<string>('assignedAgent'));
  if (filter.priority !== undefined) query = query.where('priority', '=', param<number>('priority'));
  return query;
}

/** Build the `getTasks` query for one filter shape; values bind by name at run time. @internal */
export function selectFiltered(filter: TaskFilter): CompiledShape {
  let query = filtered(filter).$call(inClaimOrder);
  // SQLite needs a LIMIT before an OFFSET; -1 means no limit.
  if (filter.limit !== undefined || filter.offset !== undefined) {
    query = query.limit(filter.limit === undefined ? sql.lit(-1) : boundCount('limit'));
  }
  if (filter.offset !== undefined) query = query.offset(boundCount('offset'));
  return compile(query);
}

/**
 * Keyset paging after a cursor task, in two index range scans, because the listing order mixes a
 * descending and ascending column: first the rest of the cursor's priority (`(created_at, seq)` after the
 * cursor's, a row-value range SQLite seeks to), then every lower priority. Each page costs its own size,
 * however deep it is. `limit` is -1 for no limit.
 * @internal
 */
export function selectAfter(filter: TaskFilter, part: 'same-priority' | 'lower-priority'): CompiledShape {
  const query =
    part === 'same-priority'
      ? filtered(filter)
          .where('priority', '=', param<number>('cursorPriority'))
          .where(sql<boolean>`(created_at, seq) > (${param('cursorCreatedAt')}, ${param('cursorSeq')})`)
          .orderBy('created_at', 'asc')
          .orderBy('seq', 'asc')
      : filtered(filter).where('priority', '<', param<number>('cursorPriority')).$call(inClaimOrder);
  return compile(query.limit(boundCount('limit')));
}
