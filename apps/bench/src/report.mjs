/**
 * The printed report: versions, the one table, the targets and the notes.
 *
 * @module
 */
import { fmtCount } from './inputs.mjs';
import { STATS_SAMPLES, STATS_WARMUP } from './latency.mjs';
import { GUIDE_RUNS, RUNS } from './measure.mjs';
import { formatRatio, formatValue, renderTable } from './table.mjs';
import { GUIDE_REFERENCE_TASKS_PER_S, GUIDE_TARGET_TASKS_PER_S } from './targets.mjs';

/**
 * `a / b` for the row, or `null` when either is missing.
 *
 * @param {import('./targets.mjs').ResultRow} row
 * @param {string} a
 * @param {string} b
 * @returns {number | null}
 */
export function ratio(row, a, b) {
  const x = row.values[a];
  const y = row.values[b];
  if (!x || !y || !('value' in x) || !('value' in y) || !Number.isFinite(x.value) || !y.value) return null;
  return x.value / y.value;
}

/**
 * @param {import('./targets.mjs').ResultRow['values'][string]} cell
 * @returns {string}
 */
function cellText(cell) {
  if (cell === null || cell === undefined) return 'n/a';
  return 'error' in cell ? 'error' : formatValue(cell.value);
}

/**
 * The table, with the static reference and target rows after the guide's file row.
 *
 * @param {import('./targets.mjs').ResultRow[]} rows
 * @param {string[]} subjects
 * @param {string[]} [ownColumns] Columns only the rows that name them in `only` fill (the pg workload's), each
 *   with its `omc/…` ratio column.
 * @returns {string}
 */
export function renderResults(rows, subjects, ownColumns = []) {
  /** @type {import('./table.mjs').Column[]} */
  const columns = [
    { key: 'label', title: 'workload', align: 'left' },
    { key: 'unit', title: 'unit', align: 'left' },
    { key: 'better', title: 'better', align: 'left' },
    ...subjects.map((name) => /** @type {const} */ ({ key: name, title: name, align: 'right' })),
    { key: 'omc/seam-base', title: 'omc/seam-base', align: 'right' },
    { key: 'omc/raw', title: 'omc/raw', align: 'right' },
    { key: 'omc/plainjob', title: 'omc/plainjob', align: 'right' },
    ...ownColumns.map((name) => /** @type {const} */ ({ key: `omc/${name}`, title: `omc/${name}`, align: 'right' })),
  ];
  /** @type {import('./table.mjs').TableRow[]} */
  const tableRows = [];
  let previousGroup = '';
  for (const row of rows) {
    const group = row.id.split('-')[0];
    if (previousGroup && group !== previousGroup) tableRows.push({ rule: true });
    previousGroup = group;
    /** @type {Record<string, string>} */
    const cells = { label: row.label, unit: row.unit, better: row.better };
    for (const name of subjects) {
      const measures = row.only ? row.only.includes(name) : !ownColumns.includes(name);
      cells[name] = measures ? cellText(row.values[name]) : '';
    }
    cells['omc/seam-base'] = formatRatio(ratio(row, 'omc', 'seam-base'));
    cells['omc/raw'] = formatRatio(ratio(row, 'omc', 'raw'));
    cells['omc/plainjob'] = formatRatio(ratio(row, 'omc', 'plainjob'));
    for (const name of ownColumns) cells[`omc/${name}`] = formatRatio(ratio(row, 'omc', name));
    tableRows.push({ cells });
    if (row.id === 'guide-file') {
      tableRows.push(
        {
          note: '  reference: the guide’s own system, file',
          text: `${GUIDE_REFERENCE_TASKS_PER_S} tasks/s (static figure from the issue, not measured)`,
        },
        {
          note: '  target: 25 x reference, file',
          text: `>= ${GUIDE_TARGET_TASKS_PER_S.toLocaleString('en-US')} tasks/s`,
        },
      );
    }
  }
  return renderTable(columns, tableRows);
}

/**
 * @param {import('./targets.mjs').TargetResult[]} targets
 * @returns {string}
 */
export function renderTargets(targets) {
  const width = Math.max(...targets.map((t) => t.label.length));
  return targets.map((t) => `  ${t.status.padEnd(4)}  ${t.label.padEnd(width)}  ${t.detail}`).join('\n');
}

/**
 * How to read the table, with the sizes of this run.
 *
 * @param {import('./inputs.mjs').BenchSizes} s
 * @param {string[]} errors
 * @returns {string}
 */
export function renderNotes(s, errors) {
  const [small, medium, large] = s.latencyPending.map(fmtCount);
  const lines = [
    'notes',
    '  - seam-base: TaskPool at 4fd8f56, main before the seam of issue 11 (src/subjects/baseline/omc-pre-seam.mjs),',
    '    driven by the same code as omc, next to it in every round of every workload that measures omc (not cellsize',
    '    and integrity, which compare omc with itself). omc/seam-base: the restructured pool over the one before it.',
    `  - every figure is the best of ${RUNS} timed runs (the guide bench, being short, of ${GUIDE_RUNS}) after a short warm-up; the subjects take turns within each round, so`,
    '    load elsewhere on the machine hits them alike. Throughput rows use a fresh temp database per run.',
    '  - ratios: on throughput rows omc/x above 1.00x means omc is faster; on µs (latency) rows the ratio is omc latency',
    '    over the other one, so LOWER is better (below 1.00x means omc is faster).',
    `  - guide bench: ${fmtCount(s.guideTasks)} tasks created one by one, then ${s.guideAgents} agents take turns (claim -> in_progress ->`,
    `    complete) until none is left; tasks/s = ${fmtCount(s.guideTasks)} / (create + process time). plainjob has no`,
    '    in-progress state and no priorities (its claim + done only).',
    '  - claim→complete cycle: omc completes through updateTask(id, { status: COMPLETED, result }) (the guide path);',
    "    the completeTask row through completeTask(task, result), fenced by the claim's lease; 'omc before leases' is",
    '    TaskPool at 4569b53 (src/subjects/baseline), guide path. All seven series take turns in the same rounds.',
    `  - claim latency: one file database per subject grows ${small} -> ${medium} -> ${large} pending (batch creates).`,
    '    Each sample times one claim only; the task is then completed and replaced (untimed) so the pending count holds.',
    `    ${fmtCount(s.latencyClaims)} samples per run; p99 comes from the run with the best median. The "finished" rows were`,
    "    created by batch create, then flipped to completed by a raw UPDATE through the subject's own better-sqlite3",
    "    handle (omc: pool['db']), 50,000 rows per statement, not through the API.",
    `  - heartbeat latency (omc): after each round's claims, ${fmtCount(s.latencyClaims)} samples that each claim a task (untimed),`,
    `    time one heartbeat(task) on it, then complete and replace it (untimed); best median of ${RUNS} runs.`,
    `  - stats latency: at each claim-latency stage, after the claims, per subject ${STATS_WARMUP} untimed then ${STATS_SAMPLES} timed calls`,
    `    of the counts-by-status call, back to back; median of the ${STATS_SAMPLES}. omc: getStats() (trigger-kept counters +`,
    '    an index-only count of pending); raw: SELECT status, count(*) FROM tasks GROUP BY status (scans every row);',
    '    plainjob: countJobs once per status (index counts over its status index).',
    "  - raw: the guide's columns + one partial index on pending (priority DESC, created_at), random UUID ids;",
    '    plainjob: its own schema, INTEGER ids, claims FIFO.',
  ];
  for (const error of errors) lines.push(`  - ERROR ${error}`);
  return lines.join('\n');
}
