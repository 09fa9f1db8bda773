/**
 * pg-boss through its normal API: `insert` to pre-create (not timed), then 8 workers each `fetch` a batch of 50
 * from the queue and `complete` those ids in one call, until the queue is empty. Its cron scheduler and
 * supervisor (maintenance timers) are off, so nothing but the workers touches the database while timed.
 *
 * @module
 */
import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import { chunk, makeInputs } from '../inputs.mjs';
import { perSecond } from '../measure.mjs';
import { PG_URL, withFreshSchema } from '../pg-database.mjs';

const require = createRequire(import.meta.url);

/** Workers fetching and completing at once, as the swarm's 8 agents. */
export const PG_BOSS_WORKERS = 8;
/** Jobs per `fetch` (and so per `complete`). */
export const PG_BOSS_BATCH = 50;
const QUEUE = 'bench';
/** Jobs per `insert` call when pre-creating (not timed). */
const INSERT_CHUNK = 1000;

/**
 * @param {number} count
 * @returns {Promise<import('../measure.mjs').Run>}
 */
async function swarm(count) {
  return withFreshSchema(
    'pgboss',
    async (schema) => {
      const boss = new PgBoss({
        connectionString: PG_URL,
        schema,
        max: PG_BOSS_WORKERS + 2,
        supervise: false,
        schedule: false,
      });
      boss.on('error', (error) => process.stderr.write(`[pg-boss] ${error}\n`));
      await boss.start();
      try {
        await boss.createQueue(QUEUE);
        for (const batch of chunk(makeInputs(count), INSERT_CHUNK)) {
          await boss.insert(batch.map((input) => ({ name: QUEUE, data: input, priority: input.priority })));
        }
        let done = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: PG_BOSS_WORKERS }, async () => {
            for (;;) {
              const jobs = await boss.fetch(QUEUE, { batchSize: PG_BOSS_BATCH });
              if (jobs.length === 0) return;
              await boss.complete(
                QUEUE,
                jobs.map((job) => job.id),
              );
              done += jobs.length;
            }
          }),
        );
        const ms = performance.now() - started;
        if (done !== count) throw new Error(`pg-boss completed ${done} of ${count} jobs`);
        const left = await boss.getQueueSize(QUEUE, { before: 'completed' });
        if (left !== 0) throw new Error(`pg-boss left ${left} jobs not completed`);
        return {
          value: perSecond(count, ms),
          details: { ms, tasks: count, workers: PG_BOSS_WORKERS, batch: PG_BOSS_BATCH },
        };
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    },
    { create: false },
  );
}

/** @type {import('../pg.mjs').PgSubject} */
export const pgBoss = {
  name: 'pg-boss',
  description: `pg-boss: ${PG_BOSS_WORKERS} workers, each fetch({ batchSize: ${PG_BOSS_BATCH} }) then complete(ids); supervise and schedule off`,
  versions: () => ({ 'pg-boss': require('pg-boss/package.json').version }),
  swarm,
};
