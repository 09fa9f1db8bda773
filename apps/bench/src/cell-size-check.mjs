/**
 * What `PRAGMA cell_size_check = ON` costs omc on its hot path: the same `TaskPool` with the check on and
 * off, on single creates, batch creates and the claim→complete cycle (`claimTask` + `completeTask`). The
 * check runs as SQLite loads a b-tree page into its cache, so the cycle's database (20 000 tasks at scale 1)
 * is larger than SQLite's default 2 MiB cache and pages are loaded throughout. omc column only; the on/off
 * ratios are printed with the targets.
 *
 * The difference looked for is a few per cent, less than the noise of wall-clock time on a shared machine,
 * so each figure is operations per second of this process's CPU time (user + system: the work is
 * synchronous on the main thread, with no fsync per commit at synchronous = NORMAL), the median of
 * {@link ROUNDS} rounds in which the two variants alternate order (on, off, then off, on), so drift hits
 * both alike. The targets compare the median of the rounds' on/off ratios (`pairedOnOff` in the JSON
 * details of the `on` rows): each round's two runs ran back to back, under the same load. The wall-clock
 * rates are kept in the JSON details too.
 *
 * @module
 */
import { TaskPool, TaskStatus } from '@omc/store-sqlite';
import { chunk, fmtCount, makeInputs } from './inputs.mjs';
import { errorMessage, perSecond, withTempDb } from './measure.mjs';
import { guidePathDb, rawHandle } from './subjects/task-pool.mjs';

/**
 * @typedef {object} Variant
 * @property {string} name
 * @property {'on' | 'off'} check
 */

/** @type {Variant[]} */
const VARIANTS = [
  { name: 'omc cell_size_check on', check: 'on' },
  { name: 'omc cell_size_check off', check: 'off' },
];

/**
 * A pool at `path` with the check set explicitly (whatever the pool's default), driven through the guide's API.
 *
 * @param {Variant} variant
 * @param {string} path
 * @param {(db: import('./subject.mjs').BenchDb, pool: TaskPool) => number} fn
 */
function withPool(variant, path, fn) {
  const pool = new TaskPool(path);
  rawHandle(pool).pragma(`cell_size_check = ${variant.check === 'on' ? 'ON' : 'OFF'}`);
  try {
    return fn(guidePathDb(pool, TaskStatus), pool);
  } finally {
    pool.close();
  }
}

/**
 * One run of each row for `variant`.
 *
 * @param {Variant} variant
 * @param {import('./inputs.mjs').BenchSizes} s
 * @param {number} factor 1, or less for the warm-up
 * @returns {Record<string, import('./measure.mjs').Run>}
 */
function runOnce(variant, s, factor) {
  const single = Math.max(100, Math.round(s.singleCreates * factor));
  const batch = Math.max(1_000, Math.round(s.batchCreates * factor));
  const cycleTasks = Math.max(500, Math.round(s.cycleTasks * factor));
  const inputs = makeInputs(single);
  const singleTime = withTempDb((path) =>
    withPool(variant, path, (db) =>
      timeCpu(() => {
        for (const input of inputs) db.createOne(input);
      }),
    ),
  );
  const batches = chunk(makeInputs(batch), s.batchSize);
  const batchTime = withTempDb((path) =>
    withPool(variant, path, (db) =>
      timeCpu(() => {
        for (const group of batches) db.createBatch(group);
      }),
    ),
  );
  const cycleTime = withTempDb((path) =>
    withPool(variant, path, (db, pool) => {
      for (const group of chunk(makeInputs(cycleTasks), s.batchSize)) db.createBatch(group);
      let done = 0;
      const time = timeCpu(() => {
        for (let task = pool.claimTask('agent-1'); task !== null; task = pool.claimTask('agent-1')) {
          pool.completeTask(task, 'ok');
          done++;
        }
      });
      if (done !== cycleTasks) throw new Error(`${variant.name}: the cycle completed ${done} of ${cycleTasks}`);
      return time;
    }),
  );
  return { single: rate(single, singleTime), batch: rate(batch, batchTime), cycle: rate(cycleTasks, cycleTime) };
}

/** Rounds per variant after the warm-up; the median is kept. */
const ROUNDS = 7;

/**
 * CPU and wall-clock milliseconds taken by `fn`.
 *
 * @param {() => void} fn
 * @returns {{ cpuMs: number, wallMs: number }}
 */
function timeCpu(fn) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  fn();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

/**
 * @param {number} ops
 * @param {{ cpuMs: number, wallMs: number }} time
 * @returns {import('./measure.mjs').Run}
 */
const rate = (ops, time) => ({
  value: perSecond(ops, time.cpuMs),
  details: { ops, cpuMs: time.cpuMs, wallMs: time.wallMs, wallPerSecond: perSecond(ops, time.wallMs) },
});

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.floor(sorted.length / 2)]);
}

/** The measured rows of each variant, by its row id in the table. */
const ROWS = /** @type {const} */ (['single', 'batch', 'cycle']);

/** @type {import('./workloads.mjs').Workload} */
export const cellSizeCheck = {
  id: 'cellsize',
  rows: (s) =>
    ROWS.flatMap((row) =>
      VARIANTS.map((variant) => ({
        id: `cellsize-${row}-${variant.check}`,
        label: `${
          row === 'single'
            ? `single creates (${fmtCount(s.singleCreates)})`
            : row === 'batch'
              ? `batch creates (${fmtCount(s.batchCreates)})`
              : `claim→completeTask cycle (${fmtCount(s.cycleTasks)})`
        }, cell_size_check ${variant.check}, file`,
        unit: row === 'cycle' ? 'cycles/CPU-s' : 'creates/CPU-s',
        better: /** @type {const} */ ('higher'),
        only: ['omc'],
      })),
    ),
  measure(_subjects, s) {
    try {
      return { omc: measureVariants(s) };
    } catch (error) {
      return { omc: { error: errorMessage(error) } };
    }
  },
};

/**
 * The warm-up, then {@link ROUNDS} rounds of both variants; each row's median.
 *
 * @param {import('./inputs.mjs').BenchSizes} s
 * @returns {import('./measure.mjs').Measured}
 */
function measureVariants(s) {
  for (const variant of VARIANTS) runOnce(variant, s, 0.05);
  /** @type {Map<string, Record<string, import('./measure.mjs').Run>[]>} */
  const runs = new Map(VARIANTS.map((variant) => [variant.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      globalThis.gc?.();
      runs.get(variant.name)?.push(runOnce(variant, s, 1));
    }
  }
  /** @param {string} name @param {string} row */
  const valuesOf = (name, row) =>
    (runs.get(name) ?? []).map((measured) => /** @type {import('./measure.mjs').Run} */ (measured[row]).value);
  /** @type {import('./measure.mjs').Measured} */
  const omc = {};
  for (const row of ROWS) {
    const on = valuesOf(VARIANTS[0].name, row);
    const off = valuesOf(VARIANTS[1].name, row);
    // The two runs of a round ran back to back, under the same load: their ratio is the fairest estimate.
    const pairedOnOff = median(on.map((value, round) => value / /** @type {number} */ (off[round])));
    for (const variant of VARIANTS) {
      const values = variant.check === 'on' ? on : off;
      const middle = median(values);
      const at = (runs.get(variant.name) ?? []).find((measured) => measured[row]?.value === middle)?.[row];
      omc[`cellsize-${row}-${variant.check}`] = {
        value: middle,
        runs: values,
        details: { ...at?.details, ...(variant.check === 'on' ? { pairedOnOff } : {}) },
      };
    }
  }
  return omc;
}
