#!/usr/bin/env node
// `pnpm fuzz`: the property-based and model-based suites (every test file named *fuzz*) of @omc/core
// and @omc/store-sqlite, with a fresh seed and many more runs than CI's fixed-seed ones.
//
//   pnpm fuzz                              a fresh seed, OMC_FUZZ_RUNS=4000 per property
//   OMC_FUZZ_SEED=123 pnpm fuzz            replay a seed (with the same OMC_FUZZ_RUNS it ran with)
//   OMC_FUZZ_RUNS=20000 pnpm fuzz          longer
//   pnpm fuzz -t MemoryTaskStore           extra arguments go to vitest (here: one store only)
//
// The seed is printed first, so a failure found here can be replayed; fast-check's own report adds the
// path of the failing case (`{ seed, path }`) to replay just that case.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Runs per property when OMC_FUZZ_RUNS is not set: about 20 times what CI runs for the slower stores. */
const DEFAULT_RUNS = 4000;
const PACKAGES = ['core', 'store-sqlite'];

function integerFromEnv(name) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    console.error(`${name} must be an integer, got ${JSON.stringify(raw)}.`);
    process.exit(2);
  }
  return value;
}

const seed = integerFromEnv('OMC_FUZZ_SEED') ?? randomInt(1, 2 ** 31 - 1);
const runs = integerFromEnv('OMC_FUZZ_RUNS') ?? DEFAULT_RUNS;
const vitestArgs = process.argv.slice(2);
// The replay command repeats any vitest arguments, quoted for a POSIX shell.
const shellArgs = vitestArgs.map((arg) => (/^[\w./=-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`));
const replay = [`OMC_FUZZ_SEED=${seed}`, `OMC_FUZZ_RUNS=${runs}`, 'pnpm fuzz', ...shellArgs].join(' ');
console.log(`fuzz seed ${seed} — replay with ${replay}`);
console.log(`${runs} runs per property, in ${PACKAGES.map((name) => `@omc/${name}`).join(' and ')}\n`);

const env = { ...process.env, OMC_FUZZ_SEED: String(seed), OMC_FUZZ_RUNS: String(runs) };
const run = (command, args, cwd = ROOT) => spawnSync(command, args, { cwd, env, stdio: 'inherit' });

// The store packages' tests import the built core and conformance suite.
const build = run('pnpm', ['--filter', '@omc/core', '--filter', '@omc/store-conformance', 'build']);
if (build.status !== 0) {
  console.error('\nfuzz: the build failed; nothing was fuzzed.');
  process.exit(build.status ?? 1);
}

const failed = [];
const started = Date.now();
for (const name of PACKAGES) {
  console.log(`\n── @omc/${name} ──`);
  // A name filter: vitest runs every test file whose path contains "fuzz".
  const result = run('pnpm', ['exec', 'vitest', 'run', 'fuzz', ...vitestArgs], join(ROOT, 'packages', name));
  if (result.status !== 0) failed.push(`@omc/${name}`);
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
if (failed.length > 0) {
  console.error(`\nfuzz seed ${seed}: FAILED in ${failed.join(', ')} after ${minutes} min — replay with ${replay}`);
  process.exit(1);
}
console.log(`\nfuzz seed ${seed}: every property held, ${runs} runs each, in ${minutes} min.`);
