/**
 * The `pg` workload (issue 12): omc on PostgreSQL (`PostgresTaskPool` from `@omc/store-postgres`) against a
 * hand-written `pg` baseline doing the same SKIP LOCKED work, graphile-worker tuned and pg-boss, on the same
 * server (`OMC_PG_URL`), each run in a schema of its own created for it and dropped after. Two rows: the
 * claim→complete cycle, single-op, 8 agents (omc and pg-raw), and the swarm with 8 no-op agents (all four).
 * Tasks are pre-created untimed; the drain is timed. The subjects take turns within each round, best of RUNS.
 *
 * The subjects have columns of their own, except omc, whose PostgreSQL figures go in the omc column: the
 * workload loads them itself (`load`), so a missing one (omc before `@omc/store-postgres` exists) is reported
 * and its cells show `n/a`, and an unreachable server makes every cell an error.
 *
 * @module
 */
import { fmtCount } from './inputs.mjs';
import { bestRun, errorMessage, RUNS } from './measure.mjs';
import { PG_URL, serverVersion } from './pg-database.mjs';

/**
 * One benchmarked implementation on PostgreSQL. Each run makes its own schema, pre-creates `count` tasks
 * (not timed), drains them (timed) and checks that every one was completed.
 *
 * @typedef {object} PgSubject
 * @property {string} name Its column.
 * @property {string} description One line for the JSON.
 * @property {() => Record<string, string>} versions
 * @property {(count: number) => Promise<import('./measure.mjs').Run>} [cycle] The single-op cycle, 8 agents.
 * @property {(count: number) => Promise<import('./measure.mjs').Run>} swarm The drain with 8 no-op agents.
 */

/**
 * A subject as loaded: `column` is where its figures go (omc on PostgreSQL: the omc column).
 *
 * @typedef {{ name: string, column: string, subject?: PgSubject, description?: string, versions?: Record<string, string>, error?: string }} PgLoaded
 */

/** [name, column, module, export]; omc first, as in every other workload. */
const PG_SUBJECT_MODULES = /** @type {const} */ ([
  ['omc (PostgreSQL)', 'omc', './subjects/pg-omc.mjs', 'pgOmc'],
  ['pg-raw', 'pg-raw', './subjects/pg-raw.mjs', 'pgRaw'],
  ['graphile-worker', 'graphile-worker', './subjects/pg-graphile-worker.mjs', 'graphileWorker'],
  ['pg-boss', 'pg-boss', './subjects/pg-boss.mjs', 'pgBoss'],
]);

/** The columns this workload adds to the table (omc's figures go in the omc column). */
export const PG_COLUMNS = PG_SUBJECT_MODULES.flatMap(([name, column]) => (name === column ? [column] : []));

/** Tasks of each warm-up run. */
const WARMUP_TASKS = 200;

/**
 * Tasks per run: the swarm drains the SQLite cycle's 20 000 (× `BENCH_SCALE`); the single-op cycle a quarter of
 * that (5 000, at least 500), since one task at a time costs a round trip per claim and per completion, and its
 * rate does not depend on the count.
 *
 * @param {import('./inputs.mjs').BenchSizes} s
 * @param {string} row
 */
const pgTasks = (s, row) => (row === 'pg-cycle' ? Math.max(500, Math.round(s.cycleTasks / 4)) : s.cycleTasks);

/** @type {PgLoaded[] | undefined} */
let loadedSubjects;

/**
 * Import every subject (once); one that cannot load is reported, not fatal. The PostgreSQL server's version
 * goes with pg-raw's.
 *
 * @returns {Promise<PgLoaded[]>}
 */
async function load() {
  if (loadedSubjects) return loadedSubjects;
  const server = await serverVersion().then(
    (version) => version,
    (error) => `unreachable at ${PG_URL} (${errorMessage(error)})`,
  );
  loadedSubjects = await Promise.all(
    PG_SUBJECT_MODULES.map(async ([name, column, file, exportName]) => {
      try {
        /** @type {PgSubject} */
        const subject = (await import(file))[exportName];
        const versions = subject.versions();
        return {
          name,
          column,
          subject,
          description: subject.description,
          versions: column === 'pg-raw' ? { ...versions, PostgreSQL: server } : versions,
        };
      } catch (error) {
        return { name, column, error: errorMessage(error).split('\n')[0] };
      }
    }),
  );
  return loadedSubjects;
}

/** @type {import('./workloads.mjs').Workload & { load: typeof load }} */
export const pg = {
  id: 'pg',
  load,
  rows: (s) => [
    {
      id: 'pg-cycle',
      label: `PostgreSQL claim→complete cycle, single-op, 8 agents (${fmtCount(pgTasks(s, 'pg-cycle'))} pre-created)`,
      unit: 'cycles/s',
      better: 'higher',
      only: ['omc', 'pg-raw'],
    },
    {
      id: 'pg-swarm',
      label: `PostgreSQL swarm, 8 no-op agents (${fmtCount(pgTasks(s, 'pg-swarm'))} tasks; pg-raw: 50 per statement)`,
      unit: 'tasks/s',
      better: 'higher',
      only: ['omc', ...PG_COLUMNS],
    },
  ],
  async measure(_subjects, s) {
    const loaded = await load();
    try {
      await serverVersion();
    } catch (error) {
      const message = `PostgreSQL unreachable at ${PG_URL}: ${errorMessage(error)}`;
      return Object.fromEntries(loaded.flatMap((entry) => (entry.subject ? [[entry.column, { error: message }]] : [])));
    }
    /**
     * One series per subject and row; a series that throws shows its error in its own cell, the others go on.
     *
     * @type {{ column: string, row: string, count: number, once: (count: number) => Promise<import('./measure.mjs').Run>, runs: import('./measure.mjs').Run[], error: string | null }[]}
     */
    const lanes = [];
    for (const row of ['pg-cycle', 'pg-swarm']) {
      for (const { column, subject } of loaded) {
        const once = row === 'pg-cycle' ? subject?.cycle : subject?.swarm;
        if (once) lanes.push({ column, row, count: pgTasks(s, row), once, runs: [], error: null });
      }
    }
    /** @param {(typeof lanes)[number]} lane @param {number} tasks */
    const attempt = async (lane, tasks) => {
      if (lane.error !== null) return undefined;
      try {
        return await lane.once(tasks);
      } catch (error) {
        lane.error = errorMessage(error);
        return undefined;
      }
    };
    for (const lane of lanes) await attempt(lane, Math.min(WARMUP_TASKS, lane.count));
    for (let i = 0; i < RUNS; i++) {
      for (const lane of lanes) {
        globalThis.gc?.();
        const run = await attempt(lane, lane.count);
        if (run !== undefined) lane.runs.push(run);
      }
    }
    /** @type {import('./measure.mjs').BySubject} */
    const result = {};
    for (const lane of lanes) {
      const column = /** @type {import('./measure.mjs').Measured} */ (result[lane.column] ?? {});
      column[lane.row] = lane.error !== null ? { error: lane.error } : bestRun(lane.runs, 'higher');
      result[lane.column] = column;
    }
    return result;
  },
};
