import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NativeDriverError } from '@omc/core';
import type Database from 'better-sqlite3';
import satisfies from 'semver/functions/satisfies.js';
import olderThanRange from 'semver/ranges/ltr.js';
import minVersion from 'semver/ranges/min-version.js';
import validRange from 'semver/ranges/valid.js';

const DRIVER = 'better-sqlite3';

/**
 * The Node.js versions each supported better-sqlite3 major runs on: the `engines.node` of its latest
 * release when this was written. The installed package's own `engines.node` decides; this table only
 * picks the major to suggest, and stands in for a package.json that has no `engines.node`.
 */
const SUPPORTED_MAJORS: readonly (readonly [major: number, node: string])[] = [
  [13, '>=22'],
  [12, '20.x || 22.x || 23.x || 24.x || 25.x || 26.x'],
];

/** The fields of better-sqlite3's package.json the check reads. @internal */
export interface DriverManifest {
  version: string;
  engines?: { node?: string };
}

/** Prerelease and nightly builds of Node count as their release. */
const nodeIn = (nodeVersion: string, range: string) => satisfies(nodeVersion, range, { includePrerelease: true });

/** The newest supported better-sqlite3 major that runs on this Node, if any. */
const newestFor = (nodeVersion: string) => SUPPORTED_MAJORS.find(([, node]) => nodeIn(nodeVersion, node))?.[0];

const REBUILD = '`pnpm rebuild better-sqlite3` (npm: `npm rebuild better-sqlite3`)';
/** How to let pnpm 10 run better-sqlite3's build script, which it skips unless allowed (approve-builds runs it). */
const ALLOW_BUILD =
  'run `pnpm approve-builds` and choose better-sqlite3, or list it under `onlyBuiltDependencies` ' +
  `(the "pnpm" field of package.json, or pnpm-workspace.yaml) and run ${REBUILD}`;
/** The install command for a major; `--allow-build` lets pnpm 10 compile 12 (13 ships its addon built). */
const install = (major: number) =>
  `pnpm add --allow-build=better-sqlite3 better-sqlite3@${major} (npm: npm install better-sqlite3@${major})`;

/**
 * Why this better-sqlite3 cannot run on Node `nodeVersion`, with the fix; `undefined` when it can (or when
 * nothing says it cannot). Only a Node older than every version its `engines.node` allows is refused: that
 * is the combination whose addon crashes the process (13 on Node 20). A Node newer than the list (12 on a
 * Node released after it) compiles the addon for itself, and a failed load is explained by `addonFailure`.
 * Pure, so every Node version can be tested from any one.
 *
 * ### Examples
 * ```ts
 * driverIncompatibility({ version: '13.0.0', engines: { node: '>=22' } }, '20.20.2'); // 'better-sqlite3 13.0.0 does not support …'
 * driverIncompatibility({ version: '13.0.0', engines: { node: '>=22' } }, '24.1.0'); // undefined
 * ```
 * @internal
 */
export function driverIncompatibility(driver: DriverManifest, nodeVersion: string): string | undefined {
  const major = Number.parseInt(driver.version, 10);
  const range = driver.engines?.node ?? SUPPORTED_MAJORS.find(([known]) => known === major)?.[1];
  if (range === undefined || validRange(range) === null || nodeIn(nodeVersion, range)) return undefined;
  if (!olderThanRange(nodeVersion, range, { includePrerelease: true })) return undefined;
  const fitting = newestFor(nodeVersion);
  const runNode = nodeIn('1000.0.0', range)
    ? `run Node.js ${minVersion(range)?.version.replace(/\.0\.0$/, '')} or newer`
    : `run a Node.js in "${range}"`;
  const fix =
    fitting === undefined
      ? `${runNode[0]?.toUpperCase()}${runNode.slice(1)}`
      : `Install better-sqlite3@${fitting}: ${install(fitting)}; or ${runNode}`;
  return (
    `${DRIVER} ${driver.version} does not support Node.js ${nodeVersion} (its engines.node is "${range}"); ` +
    `its native addon could crash this process, so omc did not load it. ${fix}.`
  );
}

/**
 * The typed error for a failure to load better-sqlite3's compiled addon (it loads in the first
 * `new Database()`), or `undefined` when `error` is about something else, such as the database path.
 * @internal
 */
export function addonFailure(error: unknown, driverVersion: string): NativeDriverError | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  const details = { driver: DRIVER, driverVersion, nodeVersion: process.versions.node, cause: error };
  const firstLine = message.split('\n')[0]?.trim();
  // better-sqlite3 12 finds its addon with `bindings`, which lists every path it tried; 13 requires it.
  const unbuilt = message.startsWith('Could not locate the bindings file');
  if (unbuilt || (code === 'MODULE_NOT_FOUND' && message.includes('better_sqlite3.node'))) {
    const fix = unbuilt
      ? `its build script did not run, and pnpm 10 runs it only when allowed. To build it, ${ALLOW_BUILD}.`
      : // 13 ships prebuilt addons and has no build script: a missing one is an incomplete install.
        'reinstall it, or install better-sqlite3@12, which builds its addon from source.';
    return new NativeDriverError(
      'binding_missing',
      `${DRIVER} ${driverVersion} is installed without its compiled addon ("${firstLine?.replace(/\.? Tried:$/, '')}"): ${fix}`,
      details,
    );
  }
  if (code === 'ERR_DLOPEN_FAILED') {
    const abi = /NODE_MODULE_VERSION (\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
      message,
    );
    const why = abi
      ? `it was compiled for another Node.js (NODE_MODULE_VERSION ${abi[1]}; this one needs ${abi[2]})`
      : firstLine;
    return new NativeDriverError(
      'binding_mismatch',
      `${DRIVER} ${driverVersion}'s compiled addon cannot load in Node.js ${process.versions.node}: ${why}. ` +
        `Rebuild it for this Node.js with ${REBUILD}; if pnpm skips the build, ${ALLOW_BUILD}.`,
      details,
    );
  }
  return undefined;
}

/** better-sqlite3 as loaded for this process: its Database class and its version. @internal */
export interface Driver {
  Database: typeof Database;
  version: string;
}

let loaded: { driver: Driver } | { error: NativeDriverError } | undefined;

/**
 * better-sqlite3, loaded once per process, from where this package is installed, and only after its
 * package.json says it runs on this Node.js: a better-sqlite3 built for a newer Node (13 on Node 20)
 * crashes the process with a segfault when its addon loads, which no catch can report.
 * @internal
 */
export function loadDriver(): Driver {
  loaded ??= load();
  if ('error' in loaded) throw loaded.error;
  return loaded.driver;
}

function load(): { driver: Driver } | { error: NativeDriverError } {
  const require = createRequire(import.meta.url);
  const nodeVersion = process.versions.node;
  let entry: string;
  try {
    entry = require.resolve(DRIVER);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    const message = `${DRIVER} is not installed beside @omc/store-sqlite. Install it: ${install(newestFor(nodeVersion) ?? 12)}.`;
    return {
      error: new NativeDriverError('not_installed', message, {
        driver: DRIVER,
        driverVersion: undefined,
        nodeVersion,
        cause: error,
      }),
    };
  }
  const manifest = readManifest(entry);
  const problem = driverIncompatibility(manifest, nodeVersion);
  if (problem !== undefined) {
    const details = { driver: DRIVER, driverVersion: manifest.version, nodeVersion };
    return { error: new NativeDriverError('node_unsupported', problem, details) };
  }
  // Loading the JavaScript is safe: both 12 and 13 load the addon in the first `new Database()`.
  return { driver: { Database: require(entry) as typeof Database, version: manifest.version } };
}

/**
 * better-sqlite3's own package.json: the nearest one above its entry point that has a version (its
 * exports may hide `better-sqlite3/package.json`; a fork installed under its name has another name).
 */
function readManifest(entry: string): DriverManifest {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<DriverManifest>;
    if (typeof manifest.version === 'string') return manifest as DriverManifest;
  }
  return { version: 'unknown' }; // nothing to judge by: load it and let addonFailure explain a failure
}
