/**
 * The chaos run of issue 12: every scenario the PostgreSQL job-queue benchmarks use, one after another,
 * each on a fresh schema of one throwaway PostgreSQL 15 cluster this command starts (initdb/pg_ctl) and
 * removes, and ONE table at the end. Exits 1 when any task was lost, completed twice or stranded, or any
 * scenario broke another promise (a hang, an untyped error, a worker that gave up).
 *
 *   pnpm --filter @omc/store-postgres build && pnpm --filter @omc/store-postgres chaos
 *   (that is: tsx chaos/run.ts [--only <substring>] [--verbose])
 *
 * The scenarios are the tests' own (test/support/chaos-scenarios.ts); the workers run the built package.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../test/support/chaos-fleet.js';
import {
  type DrainSpec,
  idleInTransaction,
  poolExhausted,
  priorityFlood,
  retryStorm,
  runDrain,
  type ScenarioResult,
  serverRestart,
  sigkillWorkers,
  terminateBackends,
} from '../test/support/chaos-scenarios.js';
import { PgCluster } from '../test/support/cluster.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const verbose = args.includes('--verbose');

if (!existsSync(join(PACKAGE_DIR, 'dist', 'index.js'))) {
  console.error('chaos: build the package first (pnpm --filter @omc/store-postgres build): the workers run dist/');
  process.exit(2);
}

const cluster = await PgCluster.create({ settings: { max_connections: 200 } });
const scenarios: ((c: PgCluster) => DrainSpec)[] = [
  (c) => sigkillWorkers(c.url),
  (c) => serverRestart(c, 'fast'),
  (c) => serverRestart(c, 'immediate'),
  (c) => serverRestart(c, 'kill9'),
  (c) => terminateBackends(c.url),
  (c) => poolExhausted(c.url),
  (c) => idleInTransaction(c.url),
  (c) => retryStorm(c.url),
  (c) => priorityFlood(c.url),
];

const results: ScenarioResult[] = [];
try {
  for (const make of scenarios) {
    const spec = make(cluster);
    if (only && !spec.scenario.includes(only)) continue;
    process.stderr.write(`chaos: ${spec.scenario}…\n`);
    const started = Date.now();
    const result = await runDrain(spec).catch(
      (error): ScenarioResult => ({
        scenario: spec.scenario,
        tasks: 0,
        lost: 0,
        twice: 0,
        stranded: 0,
        reclaimed: 0,
        refused: 0,
        readBack: 0,
        violations: [`the scenario could not run: ${error instanceof Error ? error.stack : String(error)}`],
        errors: {},
        completedAt: [],
        before: 0,
        after: 0,
        kills: 0,
        notes: [],
        failures: [],
      }),
    );
    process.stderr.write(`chaos:   ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    results.push(result);
  }
} finally {
  await cluster.destroy();
}

const header = ['scenario', 'tasks', 'lost', 'completed twice', 'stranded', 'tasks/s before', 'tasks/s during-after'];
const rows = results.map((r) => [
  r.scenario,
  String(r.tasks),
  String(r.lost),
  String(r.twice),
  String(r.stranded),
  String(r.before),
  String(r.after),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) =>
  `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const row of rows) console.log(line(row));

let bad = false;
console.log('');
for (const r of results) {
  const problems = [...r.violations, ...r.failures];
  const errors = Object.entries(r.errors).map(([code, n]) => `${code} ×${n}`);
  const untyped = Object.keys(r.errors).filter((code) => !code.startsWith('OMC_'));
  if (untyped.length > 0) problems.push(`untyped errors reached the workers: ${untyped.join(', ')}`);
  if (r.lost + r.twice + r.stranded > 0 || problems.length > 0) bad = true;
  const facts = [
    `${r.reclaimed} leases reclaimed`,
    `${r.refused} stale completions refused`,
    `${r.readBack} unknown outcomes read back`,
    ...(errors.length ? [`errors retried: ${errors.join(', ')}`] : []),
    ...r.notes,
  ];
  console.log(`${r.scenario}: ${facts.join('; ')}`);
  const shown = verbose ? problems : problems.slice(0, 5);
  for (const problem of shown) console.log(`  FAIL ${problem}`);
  if (shown.length < problems.length) console.log(`  … and ${problems.length - shown.length} more (--verbose)`);
}
process.exit(bad ? 1 : 0);
