/**
 * Timing helpers: best of three interleaved runs, throughput, percentiles, throw-away temp databases.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Timed runs per measurement; the best one is kept. `BENCH_RUNS` (1 to 50, default 3) raises it for a
 * run meant to resolve a few per cent on a noisy machine, at the cost of a longer bench.
 */
export const RUNS = runsFromEnv(process.env.BENCH_RUNS);

/**
 * @param {string | undefined} text
 * @returns {number}
 */
function runsFromEnv(text) {
  if (text === undefined || text === '') return 3;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    refuseSetting(`BENCH_RUNS must be a whole number from 1 to 50, got ${JSON.stringify(text)}`);
  }
  return runs;
}

/**
 * A bad setting in the environment: one line on stderr and exit code 2, no stack trace (this runs while
 * the modules load, before anything could catch it).
 *
 * @param {string} message
 * @returns {never}
 */
export function refuseSetting(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/**
 * Timed runs of the guide's benchmark, which is short (1 000 tasks: tens of milliseconds in memory), so
 * the best of 3 still moves by ±15 % between runs of the bench on a shared machine; the best of 15 holds
 * the same-run ratio within a few per cent, and costs seconds.
 */
export const GUIDE_RUNS = Math.max(15, RUNS);

/**
 * One timed run.
 *
 * @typedef {object} Run
 * @property {number} value The figure compared across runs (ops/s or µs).
 * @property {Record<string, number>} [details] Extra numbers kept in the JSON.
 * @property {number[]} [runs] Every run's value, when this is the best of several.
 */

/**
 * One subject's runs of a workload, by row id; a row that failed on its own holds its error.
 *
 * @typedef {Record<string, Run | { error: string }>} Measured
 */

/**
 * What a workload returns: for each subject its measured rows, or the error that stopped it.
 *
 * @typedef {Record<string, Measured | { error: string }>} BySubject
 */

/**
 * The best of several runs, with every run's value kept.
 *
 * @param {Run[]} runs
 * @param {'higher' | 'lower'} better
 * @returns {Run}
 */
export function bestRun(runs, better) {
  const best = runs.reduce((a, b) => ((better === 'higher' ? b.value > a.value : b.value < a.value) ? b : a));
  return { ...best, runs: runs.map((run) => run.value) };
}

/**
 * The message of a thrown value.
 *
 * @param {unknown} error
 * @returns {string}
 */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Warm every subject up, then run `once` `runs` times per subject ({@link RUNS} unless given), taking the subjects in turn
 * within each round, so a burst of load elsewhere on the machine hits all of them alike. Garbage is
 * collected before each run when `--expose-gc` is on. Keeps each subject's best run per row; a subject
 * that throws is reported by its error and skipped from then on.
 *
 * @template {{ name: string }} S A subject, or anything else named (e.g. one way of driving a subject).
 * @param {S[]} subjects
 * @param {{ id: string, better: 'higher' | 'lower' }[]} rows
 * @param {(subject: S) => void} warmup
 * @param {(subject: S) => Record<string, Run>} once
 * @param {number} [runs]
 * @returns {BySubject}
 */
export function interleaved(subjects, rows, warmup, once, runs = RUNS) {
  /** @type {Map<string, Record<string, Run>[]>} */
  const runsOf = new Map(subjects.map((subject) => [subject.name, []]));
  /** @type {Map<string, string>} */
  const failed = new Map();
  /** @param {S} subject @param {() => void} work */
  const attempt = (subject, work) => {
    if (failed.has(subject.name)) return;
    try {
      work();
    } catch (error) {
      failed.set(subject.name, errorMessage(error));
    }
  };
  for (const subject of subjects) attempt(subject, () => warmup(subject));
  for (let i = 0; i < runs; i++) {
    for (const subject of subjects) {
      globalThis.gc?.();
      attempt(subject, () => runsOf.get(subject.name)?.push(once(subject)));
    }
  }
  /** @type {BySubject} */
  const result = {};
  for (const subject of subjects) {
    const error = failed.get(subject.name);
    const done = runsOf.get(subject.name) ?? [];
    result[subject.name] =
      error === undefined
        ? Object.fromEntries(
            rows.map((row) => [
              row.id,
              bestRun(
                done.map((measured) => measured[row.id]),
                row.better,
              ),
            ]),
          )
        : { error };
  }
  return result;
}

/**
 * Milliseconds taken by `fn`.
 *
 * @param {() => void} fn
 * @returns {number}
 */
export function timeMs(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/**
 * Operations per second.
 *
 * @param {number} ops
 * @param {number} ms
 * @returns {number}
 */
export function perSecond(ops, ms) {
  return (ops * 1000) / ms;
}

/**
 * Nearest-rank percentile of an ascending array.
 *
 * @param {ArrayLike<number>} sorted
 * @param {number} p 0–100
 * @returns {number}
 */
export function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * Call `fn` with a database path inside a fresh temp directory, then delete the directory.
 *
 * @template T
 * @param {(path: string) => T} fn
 * @returns {T}
 */
export function withTempDb(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'omc-bench-'));
  try {
    return fn(join(dir, 'bench.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * {@link withTempDb} for an async `fn`: the directory is deleted once its promise settles.
 *
 * @template T
 * @param {(path: string) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withTempDbAsync(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'omc-bench-'));
  try {
    return await fn(join(dir, 'bench.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Open a subject's database at `path`, pass it to `fn`, always close it.
 *
 * @template T
 * @param {import('./subject.mjs').Subject} subject
 * @param {string} path
 * @param {(db: import('./subject.mjs').BenchDb) => T} fn
 * @returns {T}
 */
export function withDb(subject, path, fn) {
  const db = subject.open(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
