/**
 * omc on PostgreSQL: `PostgresTaskPool` from `@omc/store-postgres`, through its public API only. The cycle: 8
 * agents, each its own loop of `claimTask` then `completeTask(task, result)` (one claim, one fenced completion
 * per task); the swarm: `@omc/swarm` with 8 no-op agents over the pool, as the SQLite swarm row runs it.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { PostgresTaskPool } from '@omc/store-postgres';
import { Swarm } from '@omc/swarm';
import { chunk, makeInputs } from '../inputs.mjs';
import { perSecond } from '../measure.mjs';
import { PG_URL, withFreshSchema } from '../pg-database.mjs';

/** Agents of the cycle and of the swarm. */
const AGENTS = 8;
/** Connections of the pool: one per agent, and two for the swarm's writes and upkeep. */
const POOL_SIZE = AGENTS + 2;
/** Tasks per `createTasks` call when pre-creating (not timed). */
const CREATE_CHUNK = 1000;

/** @type {import('@omc/core').Agent} */
const noopAgent = { name: 'noop', execute: async () => 'ok' };

/**
 * A pool on a fresh schema with `count` pending tasks (not timed), handed to `fn`, always closed.
 *
 * @template T
 * @param {number} count
 * @param {(pool: PostgresTaskPool) => Promise<T>} fn
 * @returns {Promise<T>}
 */
function withPool(count, fn) {
  return withFreshSchema('omc', async (schema) => {
    const pool = await PostgresTaskPool.open(PG_URL, { schema, poolSize: POOL_SIZE });
    try {
      for (const batch of chunk(makeInputs(count), CREATE_CHUNK)) await pool.createTasks(batch);
      return await fn(pool);
    } finally {
      await pool.close();
    }
  });
}

/**
 * Every task completed, as the pool counts them.
 *
 * @param {PostgresTaskPool} pool
 * @param {number} count
 */
async function checkAllCompleted(pool, count) {
  const stats = await pool.getStats();
  if (stats.completed !== count) throw new Error(`omc's stats say ${stats.completed} of ${count} tasks completed`);
}

/**
 * @param {number} count
 * @returns {Promise<import('../measure.mjs').Run>}
 */
function cycle(count) {
  return withPool(count, async (pool) => {
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: AGENTS }, async (_, i) => {
        const agent = `agent-${i + 1}`;
        for (let task = await pool.claimTask(agent); task !== null; task = await pool.claimTask(agent)) {
          await pool.completeTask(task, 'ok');
          done++;
        }
      }),
    );
    const ms = performance.now() - started;
    if (done !== count) throw new Error(`omc completed ${done} of ${count} tasks`);
    await checkAllCompleted(pool, count);
    return { value: perSecond(count, ms), details: { ms, tasks: count, agents: AGENTS } };
  });
}

/**
 * @param {number} count
 * @returns {Promise<import('../measure.mjs').Run>}
 */
function swarm(count) {
  return withPool(count, async (pool) => {
    const runner = new Swarm(pool);
    for (let i = 0; i < AGENTS; i++) runner.registerAgent(noopAgent);
    const started = performance.now();
    const summary = await runner.start({ maxConcurrency: AGENTS, pollInterval: 1000, stopWhenEmpty: true });
    const ms = performance.now() - started;
    if (summary.completed !== count) throw new Error(`the swarm completed ${summary.completed} of ${count} tasks`);
    await checkAllCompleted(pool, count);
    return { value: perSecond(count, ms), details: { ms, tasks: count, agents: AGENTS } };
  });
}

/** @type {import('../pg.mjs').PgSubject} */
export const pgOmc = {
  name: 'omc',
  description: `PostgresTaskPool from @omc/store-postgres (poolSize ${POOL_SIZE}): ${AGENTS} agents each claimTask + completeTask; the swarm of ${AGENTS} no-op agents over it`,
  versions() {
    const storeRequire = createRequire(import.meta.resolve('@omc/store-postgres'));
    return {
      '@omc/store-postgres': storeRequire('@omc/store-postgres/package.json').version,
      pg: storeRequire('pg/package.json').version,
    };
  },
  cycle,
  swarm,
};
