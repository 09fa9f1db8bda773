import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** The registry whose packages the workspace lockfile pins. */
export const REGISTRY = 'https://registry.npmjs.org/';

interface LockfilePackage {
  resolution: { integrity?: string; tarball?: string };
  engines?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  deprecated?: string;
}

interface LockfileSnapshot {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface Lockfile {
  packages?: Record<string, LockfilePackage>;
  snapshots?: Record<string, LockfileSnapshot>;
}

interface VersionDocument {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  dist: { integrity: string; tarball: string };
}

/**
 * Lets `pnpm install --offline` outside the workspace resolve every third-party package the workspace
 * lockfile pins, without the network: it writes, into a pnpm cache directory, the registry metadata pnpm
 * would have cached had it resolved those packages itself (pnpm's frozen installs never cache it). The
 * files then come from pnpm's content-addressed store by integrity, side effects (native builds) included.
 * Only the versions in the lockfile exist in this mirror, so an install can pick nothing else.
 *
 * ### Examples
 * ```ts
 * writeOfflineMetadata('pnpm-lock.yaml', '/tmp/consumer/.pnpm-cache');
 * // pnpm install --offline --cache-dir /tmp/consumer/.pnpm-cache --store-dir "$(pnpm store path)"
 * ```
 */
export function writeOfflineMetadata(lockfilePath: string, cacheDir: string): number {
  const lockfile = parse(readFileSync(lockfilePath, 'utf8')) as Lockfile;
  const documents = new Map<string, Map<string, VersionDocument>>();
  for (const [key, pkg] of Object.entries(lockfile.packages ?? {})) {
    const integrity = pkg.resolution.integrity;
    // Git, tarball-URL and directory resolutions have no registry metadata to mirror.
    if (integrity === undefined || pkg.resolution.tarball !== undefined) continue;
    const { name, version } = splitKey(key);
    const versions = documents.get(name) ?? new Map<string, VersionDocument>();
    documents.set(name, versions);
    versions.set(version, {
      name,
      version,
      dependencies: {},
      optionalDependencies: {},
      ...pick(pkg, ['peerDependencies', 'peerDependenciesMeta', 'engines', 'os', 'cpu', 'libc']),
      dist: { integrity, tarball: `${REGISTRY}${name}/-/${name.split('/').pop()}-${version}.tgz` },
    });
  }
  // A snapshot is one package with its peers resolved; its dependencies are exact versions.
  for (const [key, snapshot] of Object.entries(lockfile.snapshots ?? {})) {
    const { name, version } = splitKey(key.replace(/\(.*$/, ''));
    const document = documents.get(name)?.get(version);
    if (document === undefined) continue;
    Object.assign(document.dependencies, specifiers(snapshot.dependencies));
    Object.assign(document.optionalDependencies, specifiers(snapshot.optionalDependencies));
  }
  const registryDir = new URL(REGISTRY).host.replace(':', '+');
  for (const [name, versions] of documents) {
    const latest = [...versions.keys()].sort(compareVersions).at(-1)!;
    const text = JSON.stringify({
      name,
      'dist-tags': { latest },
      versions: Object.fromEntries(versions),
      cachedAt: Date.now(),
    });
    // pnpm reads abbreviated metadata, and full metadata for optional dependencies.
    for (const metaDir of ['metadata-v1.3', 'metadata-full-v1.3']) {
      const file = join(cacheDir, metaDir, registryDir, `${encodeName(name)}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  return documents.size;
}

function splitKey(key: string): { name: string; version: string } {
  const at = key.lastIndexOf('@');
  return { name: key.slice(0, at), version: key.slice(at + 1) };
}

// `2.0.168(zod@4.1.8)` → `2.0.168`; an alias `@ai-sdk/openai@2.0.131(zod@4.1.8)` → `npm:@ai-sdk/openai@2.0.131`.
function specifiers(dependencies: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(dependencies ?? {})) {
    const resolved = value.replace(/\(.*$/, '');
    out[name] = /^\d/.test(resolved) ? resolved : `npm:${resolved}`;
  }
  return out;
}

function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(
    keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]),
  ) as Partial<Pick<T, K>>;
}

// pnpm's file name for a package's metadata: names with capitals get a hash so case-insensitive disks cope.
function encodeName(name: string): string {
  return name === name.toLowerCase() ? name : `${name}_${createHash('sha256').update(name).digest('hex')}`;
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.+-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
