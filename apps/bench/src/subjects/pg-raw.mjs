/**
 * pg-raw: the same SKIP LOCKED work as hand-written `pg` queries on the same PostgreSQL, the floor of what this
 * schema costs. The guide's columns and one partial index on pending tasks; prepared (named) statements. Single
 * op: claim one with `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING *`, then complete
 * it by id. Batched: claim 50 in one statement, complete those 50 in one statement. Both on 8 connections at
 * once, one per agent.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { chunk, makeInputs } from '../inputs.mjs';
import { perSecond } from '../measure.mjs';
import { PG_DRIVER_VERSION, PG_URL, withFreshSchema } from '../pg-database.mjs';

/** Tasks per insert statement when pre-creating (not timed). */
const INSERT_CHUNK = 1000;

/** Tasks per claim and per completion in the batched baseline. */
export const PG_RAW_BATCH = 50;
/** Connections claiming and completing at once (one per agent), single-op and batched. */
export const PG_RAW_LANES = 8;

/** @param {string} schema */
const schemaSql = (schema) => `
  CREATE TABLE "${schema}".tasks (
    id text PRIMARY KEY,
    title text NOT NULL,
    description text NOT NULL,
    status text NOT NULL,
    priority integer NOT NULL,
    assigned_agent text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    started_at bigint,
    completed_at bigint,
    result text,
    error text,
    metadata jsonb
  );
  CREATE INDEX tasks_pending ON "${schema}".tasks (priority DESC, created_at) WHERE status = 'pending';
`;

/**
 * The statements, each prepared once per connection (`pg` prepares a named query on its first use).
 *
 * @param {string} schema
 */
function statements(schema) {
  const tasks = `"${schema}".tasks`;
  return {
    claimOne: `UPDATE ${tasks} SET status = 'claimed', assigned_agent = $1, updated_at = $2, started_at = $2
      WHERE id = (SELECT id FROM ${tasks} WHERE status = 'pending' ORDER BY priority DESC, created_at
                  FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING *`,
    completeOne: `UPDATE ${tasks} SET status = 'completed', result = $2, updated_at = $3, completed_at = $3
      WHERE id = $1 AND status IN ('claimed', 'in_progress')`,
    claimMany: `UPDATE ${tasks} SET status = 'claimed', assigned_agent = $1, updated_at = $2, started_at = $2
      WHERE id IN (SELECT id FROM ${tasks} WHERE status = 'pending' ORDER BY priority DESC, created_at
                   FOR UPDATE SKIP LOCKED LIMIT $3)
      RETURNING id`,
    completeMany: `UPDATE ${tasks} SET status = 'completed', result = $2, updated_at = $3, completed_at = $3
      WHERE id = ANY($1::text[]) AND status IN ('claimed', 'in_progress')`,
    insert: `INSERT INTO ${tasks} (id, title, description, status, priority, created_at, updated_at, metadata)
      SELECT id, title, description, 'pending', priority, created_at, created_at, metadata
      FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::jsonb[])
        AS t(id, title, description, priority, created_at, metadata)`,
    countByStatus: `SELECT status, count(*)::int AS n FROM ${tasks} GROUP BY status`,
  };
}

/**
 * A connection, plus the schema and `count` pending tasks created in batches (not timed).
 *
 * @param {string} schema
 * @param {number} count
 * @returns {Promise<pg.Client>}
 */
async function prepare(schema, count) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(schemaSql(schema));
  const sql = statements(schema);
  let now = Date.now();
  for (const batch of chunk(makeInputs(count), INSERT_CHUNK)) {
    // One millisecond per task, so created_at orders them as they were made.
    const createdAt = batch.map(() => now++);
    await client.query(sql.insert, [
      batch.map(() => randomUUID()),
      batch.map((input) => input.title),
      batch.map((input) => input.description),
      batch.map((input) => input.priority),
      createdAt,
      batch.map((input) => JSON.stringify(input.metadata ?? null)),
    ]);
  }
  return client;
}

/**
 * Every task must end completed, none in another state.
 *
 * @param {pg.Client} client
 * @param {string} schema
 * @param {number} count
 */
async function checkAllCompleted(client, schema, count) {
  const { rows } = await client.query(statements(schema).countByStatus);
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  if (byStatus.completed !== count || rows.length !== 1) {
    throw new Error(`pg-raw left ${JSON.stringify(byStatus)} of ${count} tasks`);
  }
}

/**
 * `lanes` connections (beside the set-up one), each its own agent: connected before `fn` is timed, ended after.
 *
 * @template T
 * @param {number} lanes
 * @param {(clients: pg.Client[]) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLanes(lanes, fn) {
  /** @type {pg.Client[]} */
  const clients = [];
  try {
    for (let i = 0; i < lanes; i++) {
      const client = new pg.Client({ connectionString: PG_URL });
      clients.push(client);
      await client.connect();
    }
    return await fn(clients);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/**
 * `PG_RAW_LANES` connections, each claiming one task and completing it by id until none is left: the raw
 * single-op cycle, with as many agents as the swarm has.
 *
 * @param {number} count
 * @returns {Promise<import('../measure.mjs').Run>}
 */
async function cycle(count) {
  return withFreshSchema('raw', async (schema) => {
    const client = await prepare(schema, count);
    try {
      const sql = statements(schema);
      let done = 0;
      const ms = await withLanes(PG_RAW_LANES, async (lanes) => {
        const started = performance.now();
        await Promise.all(
          lanes.map(async (lane, i) => {
            const agent = `agent-${i + 1}`;
            for (;;) {
              const { rows } = await lane.query({ name: 'claim-one', text: sql.claimOne, values: [agent, Date.now()] });
              if (rows.length === 0) return;
              await lane.query({ name: 'complete-one', text: sql.completeOne, values: [rows[0].id, 'ok', Date.now()] });
              done++;
            }
          }),
        );
        return performance.now() - started;
      });
      if (done !== count) throw new Error(`pg-raw completed ${done} of ${count} tasks`);
      await checkAllCompleted(client, schema, count);
      return { value: perSecond(count, ms), details: { ms, tasks: count, lanes: PG_RAW_LANES } };
    } finally {
      await client.end();
    }
  });
}

/**
 * `PG_RAW_LANES` connections, each claiming `PG_RAW_BATCH` in one statement and completing them in one
 * statement, until none is left: the ceiling for draining this schema.
 *
 * @param {number} count
 * @returns {Promise<import('../measure.mjs').Run>}
 */
async function swarm(count) {
  return withFreshSchema('raw', async (schema) => {
    const client = await prepare(schema, count);
    try {
      const sql = statements(schema);
      let done = 0;
      const ms = await withLanes(PG_RAW_LANES, async (lanes) => {
        const started = performance.now();
        await Promise.all(
          lanes.map(async (lane, i) => {
            const agent = `agent-${i + 1}`;
            for (;;) {
              const claimed = { name: 'claim-many', text: sql.claimMany, values: [agent, Date.now(), PG_RAW_BATCH] };
              const { rows } = await lane.query(claimed);
              if (rows.length === 0) return;
              const ids = rows.map((row) => row.id);
              await lane.query({ name: 'complete-many', text: sql.completeMany, values: [ids, 'ok', Date.now()] });
              done += rows.length;
            }
          }),
        );
        return performance.now() - started;
      });
      if (done !== count) throw new Error(`pg-raw completed ${done} of ${count} tasks`);
      await checkAllCompleted(client, schema, count);
      return { value: perSecond(count, ms), details: { ms, tasks: count, batch: PG_RAW_BATCH, lanes: PG_RAW_LANES } };
    } finally {
      await client.end();
    }
  });
}

/** @type {import('../pg.mjs').PgSubject} */
export const pgRaw = {
  name: 'pg-raw',
  description: `hand-written pg: the guide's columns, a partial index on pending, SKIP LOCKED; ${PG_RAW_LANES} connections, single-op or ${PG_RAW_BATCH} per statement`,
  versions: () => ({ pg: PG_DRIVER_VERSION }),
  cycle,
  swarm,
};
