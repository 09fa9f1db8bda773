import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The parts of a package.json these checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** A package that is published to npm: everything under packages/ that is not private. */
export interface PublishedPackage {
  name: string;
  /** Absolute path of the package's directory. */
  dir: string;
  manifest: Manifest;
  /** The file `pnpm pack` writes: `@omc/core` 0.0.0 → `omc-core-0.0.0.tgz`. */
  tarballName: string;
}

/** Reads a JSON file. */
export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Every published package of the workspace, in directory order. */
export function publishedPackages(): PublishedPackage[] {
  const packagesDir = join(REPO_ROOT, 'packages');
  return readdirSync(packagesDir)
    .sort()
    .map((name) => join(packagesDir, name))
    .map((dir) => ({ dir, manifest: readJson<Manifest>(join(dir, 'package.json')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({
      name: manifest.name,
      dir,
      manifest,
      tarballName: `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`,
    }));
}

/** The public entry points of a package (`@omc/core`, `@omc/core/testing`), from its exports map. */
export function publicEntries(pkg: PublishedPackage): string[] {
  return Object.keys(pkg.manifest.exports ?? { '.': null })
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
}

/** Runs a command and returns its exit code and output, never throwing on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): { status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Path of an executable installed in this app's node_modules/.bin. */
export function bin(name: string): string {
  return fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
}
