#!/usr/bin/env node
// Writes the root package.json's `repository`, `homepage` and `bugs` into every library under packages/,
// so the links npm shows are set in one place. `--check` changes nothing and exits 1 when a package has
// drifted from the root (CI runs it through apps/package-check).
//
//   pnpm sync-meta            write
//   pnpm sync-meta --check    verify
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const unknown = args.find((arg) => arg !== '--check');
if (unknown !== undefined) {
  console.error(`sync-package-meta: unknown argument '${unknown}'; the only option is --check`);
  process.exit(2);
}
const check = args.includes('--check');

const rootManifest = readJson(join(root, 'package.json'));
const { repository, homepage, bugs } = rootManifest;
if (typeof repository?.url !== 'string' || typeof homepage !== 'string' || typeof bugs?.url !== 'string') {
  console.error('sync-package-meta: the root package.json needs repository.url, homepage and bugs.url');
  process.exit(2);
}
// The repository's web address, from which each package's README address is built.
const web = homepage.replace(/#.*$/, '');

const drifted = [];
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = `packages/${name}`;
  const file = join(root, dir, 'package.json');
  if (!existsSync(file)) continue;
  const manifest = readJson(file);
  const wanted = {
    repository: { type: repository.type ?? 'git', url: repository.url, directory: dir },
    homepage: `${web}/tree/main/${dir}#readme`,
    bugs: { url: bugs.url },
  };
  const stale = Object.keys(wanted).filter((key) => JSON.stringify(manifest[key]) !== JSON.stringify(wanted[key]));
  if (stale.length === 0) continue;
  if (check) {
    drifted.push(`${dir}/package.json: ${stale.join(', ')} differ from the root package.json; run pnpm sync-meta`);
  } else {
    writeFileSync(file, `${JSON.stringify(withMeta(manifest, wanted), null, 2)}\n`);
    console.log(`${dir}/package.json: wrote ${stale.join(', ')}`);
  }
}
if (drifted.length > 0) {
  for (const line of drifted) console.error(line);
  process.exit(1);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// Replaces the three fields where they stand; a missing one goes right after `repository` (or `license`),
// so a sync never reorders the rest of a hand-written manifest.
function withMeta(manifest, wanted) {
  const out = {};
  const pending = new Set(Object.keys(wanted).filter((key) => !(key in manifest)));
  for (const [key, value] of Object.entries(manifest)) {
    out[key] = key in wanted ? wanted[key] : value;
    if (key === 'repository' || (key === 'license' && !('repository' in manifest))) {
      for (const missing of pending) out[missing] = wanted[missing];
      pending.clear();
    }
  }
  for (const missing of pending) out[missing] = wanted[missing];
  return out;
}
