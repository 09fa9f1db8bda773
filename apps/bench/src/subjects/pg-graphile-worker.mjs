/**
 * graphile-worker, tuned for throughput as its performance docs and its own `perfTest/` configure it: 24
 * concurrent jobs, a pool of 25 connections, the local queue (refetch delay 10 ms) and batched completions and
 * failures (`completeJobBatchDelay: 0`, `failJobBatchDelay: 0`), no log line per job. The local queue holds 2 000
 * jobs instead of the docs' 500: its docs say "a much higher number may make sense" for extremely fast tasks, and
 * here (2 cores, PostgreSQL 15, 20 000 no-op jobs) 500 drained at 17 000–24 000 jobs/s, 1 000 at 22 000–27 000
 * and 2 000 at 22 000–30 000, with no gain past it (5 000, 10 000); 48 concurrent jobs or several processes
 * were no faster. Measured the way `perfTest/run.js` measures it: `runOnce` drains the pre-created jobs, and
 * the time of a `runOnce` on the empty queue just before (start-up and shut-down) is subtracted.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { chunk, makeInputs } from '../inputs.mjs';
import { perSecond } from '../measure.mjs';
import { PG_URL, withFreshSchema } from '../pg-database.mjs';

const require = createRequire(import.meta.url);

// Read when graphile-worker loads: skip the "completed task" log line per job, as its perfTest does.
process.env.NO_LOG_SUCCESS = '1';
const { Logger, makeWorkerUtils, runOnce } = await import('graphile-worker');

/** The tuning of graphile-worker's perfTest/graphile.config.js, with a larger local queue (see above). */
export const GRAPHILE_TUNING = {
  concurrentJobs: 24,
  maxPoolSize: 25,
  localQueue: { size: 2000, refetchDelay: { durationMs: 10 } },
  completeJobBatchDelay: 0,
  failJobBatchDelay: 0,
};

/** Logs warnings and errors only (to stderr): the bench's stdout is its table. */
const logger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') process.stderr.write(`[graphile-worker] ${level}: ${message}\n`);
});

/** Jobs per `addJobs` call when pre-creating (not timed). */
const ADD_CHUNK = 1000;

/**
 * Drain `count` pre-created no-op jobs with the tuned `runOnce`.
 *
 * @param {number} count
 * @returns {Promise<import('../measure.mjs').Run>}
 */
async function swarm(count) {
  return withFreshSchema(
    'graphile',
    async (schema) => {
      let done = 0;
      const options = {
        connectionString: PG_URL,
        schema,
        logger,
        noHandleSignals: true,
        taskList: {
          noop: async () => {
            done++;
          },
        },
        preset: { worker: GRAPHILE_TUNING },
      };
      const utils = await makeWorkerUtils({ connectionString: PG_URL, schema, logger });
      try {
        await utils.migrate();
        // Start-up and shut-down on the empty queue, subtracted from the drain as perfTest/run.js does.
        const emptyStarted = performance.now();
        await runOnce(options);
        const startupMs = performance.now() - emptyStarted;
        for (const batch of chunk(makeInputs(count), ADD_CHUNK)) {
          // graphile-worker runs numerically smaller priorities first; the inputs' 3 is the most urgent.
          await utils.addJobs(
            batch.map((input) => ({ identifier: 'noop', payload: input, priority: -input.priority })),
          );
        }
        const started = performance.now();
        await runOnce(options);
        const totalMs = performance.now() - started;
        const ms = totalMs - startupMs;
        if (done !== count) throw new Error(`graphile-worker ran ${done} of ${count} jobs`);
        const left = await utils.withPgClient((client) =>
          client.query(`SELECT count(*)::int AS n FROM "${schema}"._private_jobs`),
        );
        if (left.rows[0].n !== 0) throw new Error(`graphile-worker left ${left.rows[0].n} jobs in its table`);
        return { value: perSecond(count, ms), details: { ms, totalMs, startupMs, tasks: count } };
      } finally {
        await utils.release();
      }
    },
    { create: false },
  );
}

/** @type {import('../pg.mjs').PgSubject} */
export const graphileWorker = {
  name: 'graphile-worker',
  description:
    'graphile-worker tuned: 24 concurrent jobs, pool 25, localQueue 2000 (refetchDelay 10 ms), completeJobBatchDelay 0, failJobBatchDelay 0; runOnce minus its start-up',
  versions: () => ({ 'graphile-worker': require('graphile-worker/package.json').version }),
  swarm,
};
