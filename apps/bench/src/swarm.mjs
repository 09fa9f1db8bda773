/**
 * The swarm workload: no-op agents, 8 concurrent, on one SQLite file, end to end (claim, start, run,
 * record), through `@omc/swarm` over `TaskPool`. The baseline is the raw better-sqlite3 subject doing the
 * same claims and completions by hand, batched 50 per transaction: the ceiling for this work on SQLite.
 * Each run creates its tasks first (not timed), then times from `start()` until the swarm has drained.
 *
 * @module
 */

import { TaskPool } from '@omc/store-sqlite';
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
 * One swarm run on a fresh file: `count` tasks, `AGENTS` no-op workers.
 *
 * @param {number} count
 * @param {{ prefetch?: number }} options
 * @returns {Promise<import('./measure.mjs').Run>}
 */
async function swarmOnce(count, options) {
  return withTempDbAsync(async (path) => {
    const pool = new TaskPool(path);
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
      only: ['omc', 'raw'],
    },
    {
      id: 'swarm-unbatched',
      label: `swarm with prefetch 1 (raw: 1 claim + 1 completion per transaction)`,
      unit: 'tasks/s',
      better: 'higher',
      only: ['omc', 'raw'],
    },
  ],
  async measure(subjects, s) {
    if (!subjects.some((subject) => subject.name === 'omc')) return {};
    /** @type {Record<string, import('./measure.mjs').Run[]>} */
    const runs = { omc: [], 'omc-unbatched': [], raw: [], 'raw-unbatched': [] };
    try {
      // Warm-up on a small run, then the subjects take turns, best of RUNS.
      await swarmOnce(500, {});
      rawOnce(500, RAW_BATCH);
      for (let i = 0; i < RUNS; i++) {
        globalThis.gc?.();
        runs.raw.push(rawOnce(s.swarmTasks, RAW_BATCH));
        globalThis.gc?.();
        runs.omc.push(await swarmOnce(s.swarmTasks, {}));
        globalThis.gc?.();
        runs['raw-unbatched'].push(rawOnce(s.swarmTasks / 4, 1));
        globalThis.gc?.();
        runs['omc-unbatched'].push(await swarmOnce(s.swarmTasks / 4, { prefetch: 1 }));
      }
    } catch (error) {
      return { omc: { error: errorMessage(error) } };
    }
    return {
      omc: { swarm: bestRun(runs.omc, 'higher'), 'swarm-unbatched': bestRun(runs['omc-unbatched'], 'higher') },
      raw: { swarm: bestRun(runs.raw, 'higher'), 'swarm-unbatched': bestRun(runs['raw-unbatched'], 'higher') },
    };
  },
};
