import { cpSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REGISTRY, writeOfflineMetadata } from './offline-metadata.js';
import { type Manifest, type PublishedPackage, REPO_ROOT, readJson, run } from './workspace.js';

/** What installing the packed packages into a fresh project outside the workspace gave. */
export interface ConsumerInstall {
  /** The consumer project's directory, outside the workspace. */
  dir: string;
  /** Wall-clock time of `pnpm install`, in ms (reported, never asserted). */
  installMs: number;
  /** pnpm's log, one JSON object per line (`--reporter ndjson`). */
  log: Record<string, unknown>[];
}

/**
 * Installs the packed tarballs into a new project in the OS temp directory, as a user's `pnpm add` would,
 * but offline: third-party packages come from pnpm's store at the versions the workspace lockfile pins
 * (see `writeOfflineMetadata`). The consumer sources in ../consumer are copied beside them.
 *
 * ### Examples
 * ```ts
 * const { dir } = installConsumer(publishedPackages(), tarballDir);
 * ```
 */
export function installConsumer(packages: PublishedPackage[], tarballDir: string): ConsumerInstall {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'omc-consumer-')));
  if (!relative(REPO_ROOT, dir).startsWith('..')) {
    throw new Error(`The consumer project ${dir} is inside the workspace ${REPO_ROOT}: set TMPDIR elsewhere.`);
  }
  cpSync(new URL('../consumer', import.meta.url), dir, { recursive: true });

  const tarballs = Object.fromEntries(packages.map((pkg) => [pkg.name, `file:${join(tarballDir, pkg.tarballName)}`]));
  const root = readJson<Manifest>(join(REPO_ROOT, 'package.json'));
  const manifest = {
    name: 'omc-consumer',
    private: true,
    type: 'module',
    dependencies: { ...tarballs, ...requiredPeers(packages) },
    devDependencies: { '@types/node': root.devDependencies?.['@types/node'] ?? '*' },
    pnpm: {
      // The packages depend on each other by version (`@omc/core: ^0.0.0`): take those from the tarballs too.
      overrides: tarballs,
      onlyBuiltDependencies: ['better-sqlite3'],
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const cacheDir = join(dir, '.pnpm-cache');
  writeOfflineMetadata(join(REPO_ROOT, 'pnpm-lock.yaml'), cacheDir);
  const store = run('pnpm', ['store', 'path'], { cwd: REPO_ROOT }).stdout.trim();
  const started = performance.now();
  const install = run(
    'pnpm',
    [
      'install',
      '--offline',
      '--reporter=ndjson',
      `--store-dir=${store}`,
      `--cache-dir=${cacheDir}`,
      `--config.registry=${REGISTRY}`,
      '--config.side-effects-cache=true',
    ],
    { cwd: dir, env: { ...process.env, CI: 'true' } },
  );
  const installMs = performance.now() - started;
  const log = install.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  if (install.status !== 0) {
    const errors = log.filter((entry) => entry.level === 'error').map((entry) => entry.message ?? entry.err);
    throw new Error(`pnpm install of the tarballs failed in ${dir}:\n${JSON.stringify(errors, null, 2)}`);
  }
  return { dir, installMs, log };
}

// A user installs a package's required peers beside it (better-sqlite3), at the range the package itself
// develops against.
function requiredPeers(packages: PublishedPackage[]): Record<string, string> {
  const peers: Record<string, string> = {};
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (manifest.peerDependenciesMeta?.[name]?.optional) continue;
      peers[name] = manifest.devDependencies?.[name] ?? range;
    }
  }
  return peers;
}
