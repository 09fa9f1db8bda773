// docs/api is generated from the packages' JSDoc by TypeDoc (`pnpm run docs`) and committed. This regenerates it
// into a temp dir and compares: a public API or JSDoc change without `pnpm run docs` fails here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/markdown.js';

const committed = join(REPO_ROOT, 'docs/api');
const fresh = mkdtempSync(join(tmpdir(), 'omc-api-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return files;
}

it('TypeDoc generates the API reference with no warning', () => {
  const typedoc = join(import.meta.dirname, '../node_modules/.bin/typedoc');
  const run = spawnSync(typedoc, ['--out', fresh], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  expect(output, 'TypeDoc warned (typedoc.json treats warnings as errors); fix the JSDoc it names').not.toMatch(
    /\[warning\]|\[error\]/,
  );
  expect(run.status, output).toBe(0);
}, 120_000);

it('docs/api is what `pnpm run docs` generates now', () => {
  const want = filesUnder(fresh);
  const have = filesUnder(committed);
  const stale = [...new Set([...want.keys(), ...have.keys()])]
    .filter((file) => want.get(file) !== have.get(file))
    .map(
      (file) =>
        `${have.has(file) ? (want.has(file) ? 'changed' : 'no longer generated') : 'missing'}: docs/api/${file}`,
    )
    .sort();
  expect(stale, 'docs/api is out of date: run `pnpm run docs` and commit docs/api').toEqual([]);
});
