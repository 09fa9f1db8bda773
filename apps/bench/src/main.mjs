/**
 * `pnpm bench`: measure omc against omc before the seam of issue 11 (`seam-base`), a raw better-sqlite3 baseline
 * and plainjob (and, on the claim→complete cycle, against omc as it was before leases), print one table with
 * ratios and the targets, and write every number as JSON to `bench-results/`.
 *
 * Environment: `BENCH_SCALE` (default 1) scales every size except the guide's benchmark, e.g. 0.01 for a
 * quick run; `BENCH_ONLY` (e.g. `cycle,latency`) runs only those workloads (default: all); `BENCH_RUNS` (default
 * 3) the timed runs per measurement. `BENCH_SCALE` and `BENCH_RUNS` pass through turbo: with `BENCH_ONLY`, run
 * `pnpm --filter @omc-app/bench bench`.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { cellSizeCheck } from './cell-size-check.mjs';
import { benchSizes } from './inputs.mjs';
import { integrityOnOpen } from './integrity-on-open.mjs';
import { claimLatency } from './latency.mjs';
import { RUNS, refuseSetting } from './measure.mjs';
import { PG_COLUMNS, pg } from './pg.mjs';
import { ratio, renderNotes, renderResults, renderTargets } from './report.mjs';
import { swarm } from './swarm.mjs';
import { evaluateTargets, GUIDE_REFERENCE_TASKS_PER_S, GUIDE_TARGET_TASKS_PER_S } from './targets.mjs';
import { batchCreates, cycle, guide, singleCreates } from './workloads.mjs';

/**
 * The subjects with a column each: [name, module, export]. `seam-base` is omc before the seam of issue 11, run in
 * every workload that measures omc; it comes right after omc, so the two take their turns back to back.
 */
const SUBJECT_MODULES = /** @type {const} */ ([
  ['omc', './subjects/omc.mjs', 'omc'],
  ['seam-base', './subjects/omc-before-seam.mjs', 'seamBase'],
  ['raw', './subjects/raw.mjs', 'raw'],
  ['plainjob', './subjects/plainjob.mjs', 'plainjob'],
]);
/**
 * omc as it was before leases, [name, module, export]. No column of its own: the cycle workload measures it in
 * the same rounds as the others and shows it in the omc column of its own row.
 */
const BEFORE_LEASES_MODULE = /** @type {const} */ ([
  'omc-before-leases',
  './subjects/omc-before-leases.mjs',
  'omcBeforeLeases',
]);
const WORKLOADS = [guide, singleCreates, batchCreates, cycle, claimLatency, swarm, cellSizeCheck, integrityOnOpen, pg];

/**
 * @typedef {{ name: string, subject?: import('./subject.mjs').Subject, versions?: Record<string, string>, error?: string }} Loaded
 */

/**
 * Import one subject; one that cannot load (e.g. omc before its package is built) is reported, not fatal.
 *
 * @param {string} name
 * @param {string} file
 * @param {string} exportName
 * @returns {Promise<Loaded>}
 */
async function loadSubject(name, file, exportName = name) {
  try {
    const subject = (await import(file))[exportName];
    return { name, subject, versions: subject.versions() };
  } catch (error) {
    return { name, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

/**
 * The workloads named in `BENCH_ONLY` (comma-separated ids, e.g. `cycle,latency`), or all of them.
 *
 * @returns {import('./workloads.mjs').Workload[]}
 */
function readWorkloads() {
  const only = (process.env.BENCH_ONLY ?? '').split(',').flatMap((id) => (id.trim() ? [id.trim()] : []));
  if (only.length === 0) return WORKLOADS;
  const ids = WORKLOADS.map((workload) => workload.id);
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) refuseSetting(`BENCH_ONLY: unknown workload ${unknown.join(', ')}; known: ${ids.join(', ')}`);
  return WORKLOADS.filter((workload) => only.includes(workload.id));
}

/** @returns {number} */
function readScale() {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) refuseSetting(`BENCH_SCALE must be a positive number, got ${scale}`);
  return scale;
}

/** @param {string} message */
const progress = (message) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  const startedAt = new Date();
  const scale = readScale();
  const sizes = benchSizes(scale);
  const workloads = readWorkloads();
  const loaded = await Promise.all(SUBJECT_MODULES.map((entry) => loadSubject(...entry)));
  const beforeLeases = await loadSubject(...BEFORE_LEASES_MODULE);
  // The pg workload brings subjects of its own (omc on PostgreSQL goes in the omc column), with columns after these.
  const pgLoaded = workloads.includes(pg) ? await pg.load() : [];
  const extraColumns = workloads.includes(pg) ? PG_COLUMNS : [];
  const names = [...loaded.map((entry) => entry.name), ...extraColumns];

  /** @type {import('./targets.mjs').ResultRow[]} */
  const rows = [];
  /** @type {string[]} */
  const errors = [];
  for (const workload of workloads) {
    const specs = workload.rows(sizes);
    /** @type {import('./targets.mjs').ResultRow[]} */
    const workloadRows = specs.map((spec) => ({ ...spec, values: Object.fromEntries(names.map((n) => [n, null])) }));
    rows.push(...workloadRows);
    const subjects = loaded.flatMap((entry) => (entry.subject ? [entry.subject] : []));
    const t0 = performance.now();
    const measured = await workload.measure(subjects, sizes, beforeLeases.subject);
    for (const [name, result] of Object.entries(measured)) {
      if ('error' in result && typeof result.error === 'string') {
        errors.push(`${workload.id} / ${name}: ${result.error}`);
        for (const row of workloadRows) row.values[name] = { error: result.error };
      } else {
        // A row can fail on its own (e.g. omc before leases, in the omc column): one error line per message.
        /** @type {Map<string, string[]>} */
        const failedRows = new Map();
        for (const row of workloadRows) {
          const cell = /** @type {import('./measure.mjs').Measured} */ (result)[row.id] ?? null;
          row.values[name] = cell;
          if (cell !== null && 'error' in cell)
            failedRows.set(cell.error, [...(failedRows.get(cell.error) ?? []), row.id]);
        }
        for (const [error, ids] of failedRows) errors.push(`${workload.id} / ${name} (${ids.join(', ')}): ${error}`);
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
      `${os.cpus().length} CPU ${os.platform()}/${os.arch()}  BENCH_SCALE=${scale}` +
      (workloads.length < WORKLOADS.length ? `  BENCH_ONLY=${workloads.map((w) => w.id).join(',')}` : ''),
  );
  for (const entry of [...loaded, beforeLeases, ...pgLoaded]) {
    out.push(
      entry.versions
        ? `  ${entry.name}: ${Object.entries(entry.versions)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : `  ${entry.name}: NOT AVAILABLE (${entry.error})`,
    );
  }
  out.push('', renderResults(rows, names, extraColumns), '', 'targets', renderTargets(targets), '');
  out.push(renderNotes(sizes, errors));

  const json = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    scale,
    workloads: workloads.map((workload) => workload.id),
    sizes,
    runsPerMeasurement: RUNS,
    environment: {
      node: process.version,
      platform: `${os.platform()}/${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
    },
    subjects: Object.fromEntries(
      [...loaded, beforeLeases].map((e) => [
        e.name,
        {
          column: e !== beforeLeases,
          available: !e.error,
          description: e.subject?.description ?? null,
          versions: e.versions ?? null,
          error: e.error ?? null,
        },
      ]),
      ...pgLoaded.map((e) => [
        e.name,
        {
          column: e.column,
          available: !e.error,
          description: e.description ?? null,
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
      ratios: {
        'omc/seam-base': ratio(row, 'omc', 'seam-base'),
        'omc/raw': ratio(row, 'omc', 'raw'),
        'omc/plainjob': ratio(row, 'omc', 'plainjob'),
        ...Object.fromEntries(extraColumns.map((column) => [`omc/${column}`, ratio(row, 'omc', column)])),
      },
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
