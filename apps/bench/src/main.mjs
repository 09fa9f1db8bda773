/**
 * `pnpm bench`: measure omc against a raw better-sqlite3 baseline and plainjob, print one table with
 * ratios and the targets, and write every number as JSON to `bench-results/`.
 *
 * Environment: `BENCH_SCALE` (default 1) scales every size except the guide's benchmark, e.g. 0.01 for a
 * quick run.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchSizes } from './inputs.mjs';
import { claimLatency } from './latency.mjs';
import { RUNS } from './measure.mjs';
import { ratio, renderNotes, renderResults, renderTargets } from './report.mjs';
import { evaluateTargets, GUIDE_REFERENCE_TASKS_PER_S, GUIDE_TARGET_TASKS_PER_S } from './targets.mjs';
import { batchCreates, cycle, guide, singleCreates } from './workloads.mjs';

const SUBJECT_MODULES = /** @type {const} */ ([
  ['omc', './subjects/omc.mjs'],
  ['raw', './subjects/raw.mjs'],
  ['plainjob', './subjects/plainjob.mjs'],
]);
const WORKLOADS = [guide, singleCreates, batchCreates, cycle, claimLatency];

/**
 * Import every subject; one that cannot load (e.g. omc before its package is built) is reported, not fatal.
 *
 * @returns {Promise<{ name: string, subject?: import('./subject.mjs').Subject, versions?: Record<string, string>, error?: string }[]>}
 */
async function loadSubjects() {
  return Promise.all(
    SUBJECT_MODULES.map(async ([name, file]) => {
      try {
        const subject = (await import(file))[name];
        return { name, subject, versions: subject.versions() };
      } catch (error) {
        return { name, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
      }
    }),
  );
}

/** @returns {number} */
function readScale() {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number, got ${scale}`);
  return scale;
}

/** @param {string} message */
const progress = (message) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  const startedAt = new Date();
  const scale = readScale();
  const sizes = benchSizes(scale);
  const loaded = await loadSubjects();
  const names = loaded.map((entry) => entry.name);

  /** @type {import('./targets.mjs').ResultRow[]} */
  const rows = [];
  /** @type {string[]} */
  const errors = [];
  for (const workload of WORKLOADS) {
    const specs = workload.rows(sizes);
    /** @type {import('./targets.mjs').ResultRow[]} */
    const workloadRows = specs.map((spec) => ({ ...spec, values: Object.fromEntries(names.map((n) => [n, null])) }));
    rows.push(...workloadRows);
    const subjects = loaded.flatMap((entry) => (entry.subject ? [entry.subject] : []));
    const t0 = performance.now();
    const measured = workload.measure(subjects, sizes);
    for (const [name, result] of Object.entries(measured)) {
      if ('error' in result && typeof result.error === 'string') {
        errors.push(`${workload.id} / ${name}: ${result.error}`);
        for (const row of workloadRows) row.values[name] = { error: result.error };
      } else {
        for (const row of workloadRows)
          row.values[name] = /** @type {import('./measure.mjs').Measured} */ (result)[row.id] ?? null;
      }
    }
    progress(`${workload.id.padEnd(8)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  const targets = evaluateTargets(new Map(rows.map((row) => [row.id, row])));
  const finishedAt = new Date();
  const versions = Object.fromEntries(loaded.map((entry) => [entry.name, entry.versions ?? null]));
  const rawVersions = versions.raw ?? {};

  const out = [];
  out.push(
    `omc bench  node ${process.version}  better-sqlite3 ${rawVersions['better-sqlite3'] ?? '?'}  SQLite ${rawVersions.sqlite ?? '?'}  ` +
      `${os.cpus().length} CPU ${os.platform()}/${os.arch()}  BENCH_SCALE=${scale}`,
  );
  for (const entry of loaded) {
    out.push(
      entry.versions
        ? `  ${entry.name}: ${Object.entries(entry.versions)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : `  ${entry.name}: NOT AVAILABLE (${entry.error})`,
    );
  }
  out.push('', renderResults(rows, names), '', 'targets', renderTargets(targets), '');
  out.push(renderNotes(sizes, errors));

  const json = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    scale,
    sizes,
    runsPerMeasurement: RUNS,
    environment: {
      node: process.version,
      platform: `${os.platform()}/${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
    },
    subjects: Object.fromEntries(
      loaded.map((e) => [
        e.name,
        {
          available: !e.error,
          description: e.subject?.description ?? null,
          versions: e.versions ?? null,
          error: e.error ?? null,
        },
      ]),
    ),
    reference: {
      guideSystemTasksPerSecondFile: GUIDE_REFERENCE_TASKS_PER_S,
      guideTargetTasksPerSecondFile: GUIDE_TARGET_TASKS_PER_S,
    },
    rows: rows.map((row) => ({
      ...row,
      ratios: { 'omc/raw': ratio(row, 'omc', 'raw'), 'omc/plainjob': ratio(row, 'omc', 'plainjob') },
    })),
    targets,
    errors,
  };
  const dir = fileURLToPath(new URL('../bench-results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  writeFileSync(`${dir}latest.json`, text);
  writeFileSync(`${dir}${stamp}.json`, text);
  out.push('', `wrote bench-results/latest.json and bench-results/${stamp}.json`);

  console.log(out.join('\n'));
  if (errors.length > 0) process.exitCode = 1;
}

await main();
