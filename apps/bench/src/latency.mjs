/**
 * Claim latency against the size of the pool. Each subject gets one file database that grows through the
 * stages (1 000 → 100 000 → 1 000 000 pending, built with batch creates); then every pending task is flipped
 * to completed through the raw handle and 1 000 fresh pending tasks are added (1 000 pending + 1 000 000
 * finished). Each sample times one claim only; the claimed task is then completed and replaced by a new one
 * (not timed), so the pending count stays put. All subjects' databases are open at once and the subjects
 * take turns within each round of samples, so load elsewhere on the machine hits them alike. After the claims,
 * each stage also times the stats call (omc `getStats()`, raw a `GROUP BY status`, plainjob one `countJobs` per
 * status): per subject in turn, a few untimed calls, then {@link STATS_SAMPLES} timed ones back to back, median
 * reported. Subjects with leases (omc, seam-base) also time `heartbeat(task)` at each stage: in every round, after the
 * claims, one run of samples that each claim a task (untimed), time one heartbeat on it, then complete and
 * replace it (untimed), so the heartbeat and the claim medians are taken under the same conditions.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunk, fmtCount, makeInputs } from './inputs.mjs';
import { bestRun, errorMessage, percentile, RUNS } from './measure.mjs';

/** Samples taken before each stage's timed runs, thrown away. */
const WARMUP_SAMPLES = 200;
/** Stats calls before each stage's timed stats samples, thrown away. */
export const STATS_WARMUP = 3;
/** Timed stats calls per stage and subject (a raw `GROUP BY` over a million rows takes tens of ms). */
export const STATS_SAMPLES = 20;

/**
 * The stages for these sizes.
 *
 * @param {import('./inputs.mjs').BenchSizes} s
 */
function stages(s) {
  const [small, medium, large] = s.latencyPending;
  return [
    { key: 'pending-small', pending: small, finished: false, label: `${fmtCount(small)} pending` },
    { key: 'pending-medium', pending: medium, finished: false, label: `${fmtCount(medium)} pending` },
    { key: 'pending-large', pending: large, finished: false, label: `${fmtCount(large)} pending` },
    {
      key: 'finished-large',
      pending: small,
      finished: true,
      label: `${fmtCount(small)} pending + ${fmtCount(large)} finished`,
    },
  ];
}

/**
 * One subject's database through the stages.
 *
 * @typedef {object} Lane
 * @property {import('./subject.mjs').Subject} subject
 * @property {string} dir
 * @property {import('./subject.mjs').BenchDb | null} db
 * @property {number} pending
 * @property {number} serial Next input number, so every task is distinct.
 * @property {import('./measure.mjs').Measured} measured
 * @property {string | null} error
 * @property {string | null} heartbeatError Set when heartbeats fail; the claims and stats go on.
 */

/**
 * Time `count` claims; returns the sorted samples in microseconds.
 *
 * @param {Lane} lane
 * @param {number} count
 * @returns {Float64Array}
 */
function sampleClaims(lane, count) {
  const db = /** @type {import('./subject.mjs').BenchDb} */ (lane.db);
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const task = db.claim('agent-1');
    const end = process.hrtime.bigint();
    if (task === null) throw new Error('the pool ran dry while sampling claims');
    samples[i] = Number(end - start) / 1000;
    db.complete(task.id, 'ok');
    db.createOne(makeInputs(1, lane.serial++)[0]);
  }
  return samples.sort();
}

/**
 * Time `count` heartbeats, each on a task just claimed (untimed) and then completed and replaced (untimed);
 * returns the sorted samples in microseconds.
 *
 * @param {Lane} lane
 * @param {number} count
 * @returns {Float64Array}
 */
function sampleHeartbeats(lane, count) {
  const db = /** @type {import('./subject.mjs').BenchDb} */ (lane.db);
  const heartbeat = db.heartbeat;
  if (heartbeat === undefined) throw new Error(`${lane.subject.name} has no heartbeat`);
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const task = db.claim('agent-1');
    if (task === null) throw new Error('the pool ran dry while sampling heartbeats');
    try {
      const start = process.hrtime.bigint();
      heartbeat(task);
      const end = process.hrtime.bigint();
      samples[i] = Number(end - start) / 1000;
    } finally {
      // Even when the heartbeat throws, so the pending count holds for the claims and stats that follow.
      db.complete(task.id, 'ok');
      db.createOne(makeInputs(1, lane.serial++)[0]);
    }
  }
  return samples.sort();
}

/**
 * Time one stats call in microseconds, or `null` when the subject has none.
 *
 * @param {Lane} lane
 * @returns {number | null}
 */
function timeStats(lane) {
  const db = /** @type {import('./subject.mjs').BenchDb} */ (lane.db);
  const start = process.hrtime.bigint();
  const stats = db.stats();
  const end = process.hrtime.bigint();
  return stats === null ? null : Number(end - start) / 1000;
}

/**
 * {@link STATS_WARMUP} untimed stats calls, then {@link STATS_SAMPLES} timed ones, back to back: another
 * subject's stats call in between (a raw scan of a million rows) would flush the CPU caches and time a cold call.
 *
 * @param {Lane} lane
 * @returns {Float64Array} The sorted samples in microseconds.
 */
function sampleStats(lane) {
  for (let i = 0; i < STATS_WARMUP; i++) timeStats(lane);
  const samples = new Float64Array(STATS_SAMPLES);
  for (let i = 0; i < STATS_SAMPLES; i++) samples[i] = /** @type {number} */ (timeStats(lane));
  return samples.sort();
}

/**
 * Untimed: whether the lane has a stats call, and that its pending count is right.
 *
 * @param {Lane} lane
 * @returns {boolean}
 */
function checkStats(lane) {
  const stats = /** @type {import('./subject.mjs').BenchDb} */ (lane.db).stats();
  if (stats === null) return false;
  if (stats.pending !== lane.pending) throw new Error(`stats: expected ${lane.pending} pending, got ${stats.pending}`);
  return true;
}

/**
 * Bring a lane to a stage: flip pending to finished if asked, then batch-create up to the pending count.
 *
 * @param {Lane} lane
 * @param {{ pending: number, finished: boolean }} stage
 * @param {number} batchSize
 * @returns {number} Set-up milliseconds.
 */
function setUp(lane, stage, batchSize) {
  const db = /** @type {import('./subject.mjs').BenchDb} */ (lane.db);
  const start = performance.now();
  if (stage.finished) {
    db.finishAllPending();
    lane.pending = 0;
  }
  const missing = stage.pending - lane.pending;
  for (const batch of chunk(makeInputs(missing, lane.serial), batchSize)) db.createBatch(batch);
  lane.serial += missing;
  lane.pending = stage.pending;
  if (db.countPending() !== lane.pending) throw new Error(`expected ${lane.pending} pending tasks`);
  return performance.now() - start;
}

/** @type {import('./workloads.mjs').Workload} */
export const claimLatency = {
  id: 'latency',
  rows: (s) => [
    ...stages(s).flatMap((stage) => [
      { id: `latency-median-${stage.key}`, label: `claim latency median, ${stage.label}`, unit: 'µs', better: 'lower' },
      { id: `latency-p99-${stage.key}`, label: `claim latency p99, ${stage.label}`, unit: 'µs', better: 'lower' },
    ]),
    ...stages(s).map((stage) => ({
      id: `heartbeat-median-${stage.key}`,
      label: `heartbeat latency median, ${stage.label}`,
      unit: 'µs',
      better: /** @type {const} */ ('lower'),
      only: ['omc', 'seam-base'],
    })),
    ...stages(s).map((stage) => ({
      id: `stats-median-${stage.key}`,
      label: `stats latency median, ${stage.label}`,
      unit: 'µs',
      better: /** @type {const} */ ('lower'),
    })),
  ],
  measure(subjects, s) {
    /** @type {Lane[]} */
    const lanes = subjects.map((subject) => ({
      subject,
      dir: mkdtempSync(join(tmpdir(), 'omc-bench-')),
      db: null,
      pending: 0,
      serial: 0,
      measured: {},
      error: null,
      heartbeatError: null,
    }));
    /** @param {Lane} lane @param {() => void} work */
    const attempt = (lane, work) => {
      if (lane.error !== null) return;
      try {
        work();
      } catch (error) {
        lane.error = errorMessage(error);
      }
    };
    /** @param {Lane} lane @param {() => void} work */
    const attemptHeartbeats = (lane, work) => {
      if (lane.error !== null || lane.heartbeatError !== null) return;
      try {
        work();
      } catch (error) {
        lane.heartbeatError = errorMessage(error);
      }
    };
    try {
      for (const lane of lanes) attempt(lane, () => (lane.db = lane.subject.open(join(lane.dir, 'bench.db'))));
      for (const stage of stages(s)) {
        /** @type {Map<Lane, import('./measure.mjs').Run[]>} */
        const runs = new Map(lanes.map((lane) => [lane, []]));
        /** @type {Map<Lane, import('./measure.mjs').Run[]>} */
        const heartbeatRuns = new Map(lanes.map((lane) => [lane, []]));
        const leased = lanes.filter((lane) => lane.subject.hasLeases);
        /** @type {Map<Lane, number>} */
        const setupMs = new Map();
        for (const lane of lanes) attempt(lane, () => setupMs.set(lane, setUp(lane, stage, s.batchSize)));
        for (const lane of lanes) attempt(lane, () => sampleClaims(lane, WARMUP_SAMPLES));
        for (const lane of leased) attemptHeartbeats(lane, () => sampleHeartbeats(lane, WARMUP_SAMPLES));
        for (let i = 0; i < RUNS; i++) {
          for (const lane of lanes) {
            globalThis.gc?.();
            attempt(lane, () => {
              const samples = sampleClaims(lane, s.latencyClaims);
              const p99 = percentile(samples, 99);
              runs.get(lane)?.push({ value: percentile(samples, 50), details: { p99, samples: samples.length } });
            });
          }
          for (const lane of leased) {
            globalThis.gc?.();
            attemptHeartbeats(lane, () => {
              const samples = sampleHeartbeats(lane, s.latencyClaims);
              const p99 = percentile(samples, 99);
              heartbeatRuns
                .get(lane)
                ?.push({ value: percentile(samples, 50), details: { p99, samples: samples.length } });
            });
          }
        }
        for (const lane of lanes) {
          if (lane.error !== null) continue;
          const best = bestRun(runs.get(lane) ?? [], 'lower');
          const details = { ...best.details, setupMs: setupMs.get(lane) ?? Number.NaN, pending: lane.pending };
          lane.measured[`latency-median-${stage.key}`] = { value: best.value, details, runs: best.runs };
          lane.measured[`latency-p99-${stage.key}`] = { value: best.details?.p99 ?? Number.NaN, details };
          const heartbeats = heartbeatRuns.get(lane) ?? [];
          if (lane.heartbeatError !== null) {
            lane.measured[`heartbeat-median-${stage.key}`] = { error: lane.heartbeatError };
          } else if (heartbeats.length > 0) {
            const bestHeartbeat = bestRun(heartbeats, 'lower');
            lane.measured[`heartbeat-median-${stage.key}`] = {
              value: bestHeartbeat.value,
              details: { ...bestHeartbeat.details, pending: lane.pending },
              runs: bestHeartbeat.runs,
            };
          }
        }
        for (const lane of lanes) {
          globalThis.gc?.();
          /** @type {Float64Array[]} */
          const taken = [];
          attempt(lane, () => {
            if (checkStats(lane)) taken.push(sampleStats(lane));
          });
          const samples = taken[0];
          if (lane.error !== null || samples === undefined) continue;
          lane.measured[`stats-median-${stage.key}`] = {
            value: percentile(samples, 50),
            details: {
              samples: samples.length,
              warmup: STATS_WARMUP,
              min: samples[0],
              max: samples[samples.length - 1],
              pending: lane.pending,
            },
          };
        }
      }
    } finally {
      for (const lane of lanes) {
        try {
          lane.db?.close();
        } finally {
          rmSync(lane.dir, { recursive: true, force: true });
        }
      }
    }
    return Object.fromEntries(
      lanes.map((lane) => [lane.subject.name, lane.error === null ? lane.measured : { error: lane.error }]),
    );
  },
};
