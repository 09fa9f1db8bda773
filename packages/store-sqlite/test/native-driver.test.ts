/**
 * Whether a better-sqlite3 can run on a Node.js version, and what a failed addon load means: pure
 * functions, so every Node version is checked from whichever one runs the tests. (The child-process
 * tests in native-driver-install.test.ts show what a user's program prints.)
 */
import { describe, expect, it } from 'vitest';
import { addonFailure, driverIncompatibility } from '../src/native-driver.js';

const V12 = { version: '12.11.1', engines: { node: '20.x || 22.x || 23.x || 24.x || 25.x || 26.x' } };
const V12_0 = { version: '12.0.0', engines: { node: '20.x || 22.x || 23.x || 24.x' } };
const V13 = { version: '13.0.0', engines: { node: '>=22' } };

describe('driverIncompatibility', () => {
  it.each([
    ['13 on Node 24.1.0', V13, '24.1.0'],
    ['13 on Node 22.0.0', V13, '22.0.0'],
    ['13 on a Node 25 nightly', V13, '25.0.0-nightly20260101abcdef'],
    ['12 on Node 24', V12, '24.1.0'],
    ['12 on Node 20.20.2', V12, '20.20.2'],
    ['12 on Node 22', V12, '22.12.0'],
    ['a major omc does not know, without engines.node', { version: '14.0.0' }, '20.20.2'],
    ['an engines.node that is not a range', { version: '13.0.0', engines: { node: 'latest' } }, '20.20.2'],
  ])('lets %s run', (_name, driver, node) => {
    expect(driverIncompatibility(driver, node)).toBeUndefined();
  });

  it('refuses 13 on Node 20 and names both versions, better-sqlite3 12 and Node 22', () => {
    expect(driverIncompatibility(V13, '20.20.2')).toBe(
      'better-sqlite3 13.0.0 does not support Node.js 20.20.2 (its engines.node is ">=22"); its native addon could ' +
        'crash this process, so omc did not load it. Install better-sqlite3@12: pnpm add --allow-build=better-sqlite3 ' +
        'better-sqlite3@12 (npm: npm install better-sqlite3@12); or run Node.js 22 or newer.',
    );
  });

  it('lets an old 12 run on a Node newer than its engines list (it compiles for that Node)', () => {
    expect(driverIncompatibility(V12_0, '25.2.0')).toBeUndefined();
    expect(driverIncompatibility(V12, '27.0.0')).toBeUndefined();
  });

  it('refuses a Node older than every version 12 lists, and says which to run', () => {
    expect(driverIncompatibility(V12, '18.20.4')).toBe(
      'better-sqlite3 12.11.1 does not support Node.js 18.20.4 (its engines.node is ' +
        '"20.x || 22.x || 23.x || 24.x || 25.x || 26.x"); its native addon could crash this process, so omc did not ' +
        'load it. Run a Node.js in "20.x || 22.x || 23.x || 24.x || 25.x || 26.x".',
    );
  });

  it('only says which Node to run when no supported better-sqlite3 runs on this one', () => {
    expect(driverIncompatibility(V13, '21.7.3')).toMatch(/so omc did not load it\. Run Node\.js 22 or newer\.$/);
  });

  it('judges a 13 without engines.node by what 13 is known to need', () => {
    expect(driverIncompatibility({ version: '13.1.0' }, '20.20.2')).toContain('(its engines.node is ">=22")');
  });
});

describe('addonFailure', () => {
  it('reads an addon built for another Node (the message Node 24 gives for a build for Node 20)', () => {
    const error = Object.assign(
      new Error(
        "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
          'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js ' +
          'requires\nNODE_MODULE_VERSION 137. Please try re-compiling or re-installing\nthe module (for instance, ' +
          'using `npm rebuild` or `npm install`).',
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const failure = addonFailure(error, '12.11.1');
    expect(failure).toMatchObject({ code: 'OMC_NATIVE_DRIVER', problem: 'binding_mismatch', driverVersion: '12.11.1' });
    expect(failure?.cause).toBe(error);
    expect(failure?.message).toBe(
      `better-sqlite3 12.11.1's compiled addon cannot load in Node.js ${process.versions.node}: it was compiled for ` +
        'another Node.js (NODE_MODULE_VERSION 115; this one needs 137). Rebuild it for this Node.js with ' +
        '`pnpm rebuild better-sqlite3` (npm: `npm rebuild better-sqlite3`); if pnpm skips the build, run ' +
        '`pnpm approve-builds` and choose better-sqlite3, or list it under `onlyBuiltDependencies` (the "pnpm" ' +
        'field of package.json, or pnpm-workspace.yaml) and run `pnpm rebuild better-sqlite3` (npm: ' +
        '`npm rebuild better-sqlite3`).',
    );
  });

  it('reads a missing prebuilt addon of better-sqlite3 13', () => {
    const error = Object.assign(
      new Error("Cannot find module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'"),
      { code: 'MODULE_NOT_FOUND' },
    );
    const failure = addonFailure(error, '13.2.0');
    expect(failure).toMatchObject({ problem: 'binding_missing', driverVersion: '13.2.0' });
    expect(failure?.message).toBe(
      'better-sqlite3 13.2.0 is installed without its compiled addon ("Cannot find module ' +
        "'/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\"): reinstall it, or install " +
        'better-sqlite3@12, which builds its addon from source.',
    );
  });

  it.each([
    ['a missing directory', new TypeError('Cannot open database because the directory does not exist')],
    ['a SQLite error', Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' })],
    ['a value that is not an error', 'oops'],
  ])('leaves %s to the caller', (_name, error) => {
    expect(addonFailure(error, '12.11.1')).toBeUndefined();
  });
});
