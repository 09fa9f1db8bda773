/**
 * The swarm workload: no-op agents, 8 concurrent, on one SQLite file, end to end (claim, start, run,
 * record), through `@omc/swarm` over `TaskPool`: the pool of every subject that has one (`openPool`: omc, and
 * seam-base, the pool from before the seam, which has the same `TaskStore` contract, under today's swarm). The
 * baseline is the raw better-sqlite3 subject doing the same claims and completions by hand, batched 50 per
 * transaction: the ceiling for this work on SQLite. Each run creates its tasks first (not timed), then times
 * from `start()` until the swarm has drained.
 *
 * @module
 */

import { Swarm } from '@omc/swarm';
import { fmtCount, makeInputs } from './inputs.mjs';
import { bestRun, errorMessage, perSecond, RUNS, timeMs, withTempDb, withTempDbAsync } from './measure.mjs';
import { openBatchedRaw } from './subjects/raw.mjs';

const AGENTS = 8;
/** The raw baseline's batch: what the issue measured as "batched 50 per transaction". */
const RAW_BATCH = 50;

/** @type {import('@omc/core').Agent} */
const noopAgent = { name: 'noop', execute: async () => 'ok' };

/**
 * One swarm run on a fresh file: `count` tasks, `AGENTS` no-op workers, over the subject's pool.
 *
 * @param {NonNullable<import('./subject.mjs').Subject['openPool']>} openPool
 * @param {number} count
 * @param {{ prefetch?: number }} options
 * @returns {Promise<import('./measure.mjs').Run>}
 */
async function swarmOnce(openPool, count, options) {
  return withTempDbAsync(async (path) => {
    const pool = openPool(path);
    try {
      pool.createTasks(makeInputs(count));
      const swarm = new Swarm(pool, options);
      for (let i = 0; i < AGENTS; i++) swarm.registerAgent(noopAgent);
      const started = performance.now();
      const summary = await swarm.start({ maxConcurrency: AGENTS, pollInterval: 1000, stopWhenEmpty: true });
      const ms = performance.now() - started;
      const { completed } = pool.getStats();
      if (completed !== count || summary.completed !== count) {
        throw new Error(`the swarm completed ${completed} (reported ${summary.completed}) of ${count} tasks`);
      }
      return { value: perSecond(count, ms), details: { ms, tasks: count } };
    } finally {
      pool.close();
    }
  });
}

/**
 * The raw baseline on a fresh file: claim `batch` at a time, complete them in one transaction.
 *
 * @param {number} count
 * @param {number} batch
 * @returns {import('./measure.mjs').Run}
 */
function rawOnce(count, batch) {
  return withTempDb((path) => {
    const db = openBatchedRaw(path);
    try {
      db.createBatch(makeInputs(count));
      let done = 0;
      const ms = timeMs(() => {
        for (let ids = db.claimBatch('raw', batch); ids.length > 0; ids = db.claimBatch('raw', batch)) {
          db.completeBatch(ids, 'ok');
          done += ids.length;
        }
      });
      if (done !== count) throw new Error(`raw completed ${done} of ${count} tasks`);
      return { value: perSecond(count, ms), details: { ms, tasks: count, batch } };
    } finally {
      db.close();
    }
  });
}

/** @type {import('./workloads.mjs').Workload} */
export const swarm = {
  id: 'swarm',
  rows: (s) => [
    {
      id: 'swarm',
      label: `swarm, ${AGENTS} no-op agents, file (${fmtCount(s.swarmTasks)} tasks; raw: ${RAW_BATCH} per transaction)`,
      unit: 'tasks/s',
      better: 'higher',
      only: ['omc', 'seam-base', 'raw'],
    },
    {
      id: 'swarm-unbatched',
      label: `swarm with prefetch 1 (raw: 1 claim + 1 completion per transaction)`,
      unit: 'tasks/s',
      better: 'higher',
      only: ['omc', 'seam-base', 'raw'],
    },
  ],
  async measure(subjects, s) {
    if (!subjects.some((subject) => subject.name === 'omc')) return {};
    /**
     * One series per column: raw by hand, then each subject's pool under the swarm. `once` does one run of
     * `count` tasks, batched (raw 50 per transaction, the swarm's defaults) or not (1, `prefetch: 1`).
     *
     * @type {{ name: string, once: (count: number, unbatched: boolean) => import('./measure.mjs').Run | Promise<import('./measure.mjs').Run>, batched: import('./measure.mjs').Run[], unbatched: import('./measure.mjs').Run[], error: string | null }[]}
     */
    const lanes = [
      {
        name: 'raw',
        once: (count, unbatched) => rawOnce(count, unbatched ? 1 : RAW_BATCH),
        batched: [],
        unbatched: [],
        error: null,
      },
      ...subjects.flatMap(({ name, openPool }) =>
        openPool
          ? [
              {
                name,
                once: (/** @type {number} */ count, /** @type {boolean} */ unbatched) =>
                  swarmOnce(openPool, count, unbatched ? { prefetch: 1 } : {}),
                batched: [],
                unbatched: [],
                error: null,
              },
            ]
          : [],
      ),
    ];
    /** @param {(typeof lanes)[number]} lane @param {number} count @param {boolean} unbatched */
    const attempt = async (lane, count, unbatched) => {
      if (lane.error !== null) return undefined;
      try {
        return await lane.once(count, unbatched);
      } catch (error) {
        lane.error = errorMessage(error);
        return undefined;
      }
    };
    // Warm-up on a small run, then the subjects take turns, best of RUNS. A lane that fails shows its error in
    // its own column; the others go on.
    for (const lane of lanes) await attempt(lane, 500, false);
    for (let i = 0; i < RUNS; i++) {
      for (const unbatched of [false, true]) {
        for (const lane of lanes) {
          globalThis.gc?.();
          const run = await attempt(lane, unbatched ? s.swarmTasks / 4 : s.swarmTasks, unbatched);
          if (run !== undefined) (unbatched ? lane.unbatched : lane.batched).push(run);
        }
      }
    }
    return Object.fromEntries(
      lanes.map((lane) => [
        lane.name,
        lane.error !== null
          ? { error: lane.error }
          : { swarm: bestRun(lane.batched, 'higher'), 'swarm-unbatched': bestRun(lane.unbatched, 'higher') },
      ]),
    );
  },
};
