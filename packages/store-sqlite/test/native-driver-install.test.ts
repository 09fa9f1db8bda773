/**
 * What a user's install hits when better-sqlite3 cannot run, each in a child OS process over the BUILT
 * package: a temp project with `node_modules/@omc/store-sqlite` (a copy of dist + package.json, so Node
 * resolves better-sqlite3 from the temp project, not from this workspace), its dependencies linked, and a
 * better-sqlite3 of the test's choosing. Every refusal is a typed error, never a crash.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuiltPackageIsFresh, PACKAGE_DIR, tempDir } from './helpers.js';

/** The workspace's real better-sqlite3 (12, built for the Node running the tests). */
const REAL_DRIVER = realpathSync(join(PACKAGE_DIR, 'node_modules', 'better-sqlite3'));
const REAL_VERSION = (JSON.parse(readFileSync(join(REAL_DRIVER, 'package.json'), 'utf8')) as { version: string })
  .version;
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `import { TaskPool }` as a user's program does; prints one JSON line: the stats, or the error. */
const ESM_PROGRAM = `import { TaskPool } from '@omc/store-sqlite';
try {
  const pool = new TaskPool(process.argv[2]);
  pool.createTask({ title: 'first', description: 'a task' });
  console.log(JSON.stringify({ total: pool.getStats().total }));
  pool.close();
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));
}
`;
const CJS_PROGRAM = ESM_PROGRAM.replace(
  "import { TaskPool } from '@omc/store-sqlite';",
  "const { TaskPool } = require('@omc/store-sqlite');",
);

/** A temp project with the built package installed; `driver(dir)` puts better-sqlite3 at `dir`. */
function project(driver: (dir: string) => void): string {
  const root = tempDir('omc-native-driver-');
  dirs.push(root);
  const modules = join(root, 'node_modules');
  const installed = join(modules, '@omc', 'store-sqlite');
  mkdirSync(installed, { recursive: true });
  cpSync(join(PACKAGE_DIR, 'dist'), join(installed, 'dist'), { recursive: true });
  cpSync(join(PACKAGE_DIR, 'package.json'), join(installed, 'package.json'));
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies)) link(join(PACKAGE_DIR, 'node_modules'), name, modules);
  driver(join(modules, 'better-sqlite3'));
  writeFileSync(join(root, 'main.mjs'), ESM_PROGRAM);
  writeFileSync(join(root, 'main.cjs'), CJS_PROGRAM);
  return root;
}

/** Symlink `<modules>/<name>` to the package `<from>/<name>` (pnpm's layout: every dependency a link). */
function link(from: string, name: string, modules: string): void {
  const target = realpathSync(join(from, name));
  mkdirSync(dirname(join(modules, name)), { recursive: true });
  symlinkSync(target, join(modules, name), 'dir');
}

/** The environment without the NODE_PATH that pnpm's bin shims set (it reaches this workspace's packages). */
const { NODE_PATH: _workspacePath, ...USER_ENV } = process.env;

interface Outcome {
  total?: number;
  name?: string;
  code?: string;
  message?: string;
}

/** Run `program` in `root` with this Node; its one JSON line, or a failure that says how it died. */
function run(root: string, program = 'main.mjs', db = './typical.db'): Outcome {
  const child = spawnSync(process.execPath, [program, db], { cwd: root, encoding: 'utf8', env: USER_ENV });
  expect(
    { signal: child.signal, status: child.status },
    `the child died: signal ${child.signal}, exit ${child.status}\n${child.stderr}`,
  ).toEqual({ signal: null, status: 0 });
  return JSON.parse(child.stdout.trim()) as Outcome;
}

beforeAll(assertBuiltPackageIsFresh);

describe('a better-sqlite3 that does not support this Node', () => {
  // better-sqlite3 13 needs Node 22; on Node 20 its addon crashes the process. The fake crashes the
  // same way when constructed, and asks for a Node newer than this one wherever the tests run.
  const needs = Math.max(22, NODE_MAJOR + 1);
  let root: string;
  beforeAll(() => {
    root = project((dir) => {
      mkdirSync(join(dir, 'lib'), { recursive: true });
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'better-sqlite3',
          version: '13.0.0',
          main: 'lib/index.js',
          engines: { node: `>=${needs}` },
        }),
      );
      writeFileSync(
        join(dir, 'lib', 'index.js'),
        "module.exports = function Database() { process.kill(process.pid, 'SIGSEGV'); };\n",
      );
    });
  });

  it('is refused with a typed error naming both versions and the fix, before its addon loads', () => {
    const outcome = run(root);
    expect(outcome.code).toBe('OMC_NATIVE_DRIVER');
    expect(outcome.name).toBe('NativeDriverError');
    const fitting = NODE_MAJOR >= 22 ? 13 : 12;
    expect(outcome.message).toBe(
      `better-sqlite3 13.0.0 does not support Node.js ${process.versions.node} (its engines.node is ">=${needs}"); ` +
        'its native addon could crash this process, so omc did not load it. ' +
        `Install better-sqlite3@${fitting}: pnpm add --allow-build=better-sqlite3 better-sqlite3@${fitting} ` +
        `(npm: npm install better-sqlite3@${fitting}); or run Node.js ${needs} or newer.`,
    );
  });

  it('is refused from CommonJS too', () => {
    expect(run(root, 'main.cjs').code).toBe('OMC_NATIVE_DRIVER');
  });
});

describe('a better-sqlite3 whose build script never ran (pnpm 10 without approve-builds)', () => {
  let root: string;
  beforeAll(() => {
    root = project((dir) => {
      cpSync(REAL_DRIVER, dir, {
        recursive: true,
        filter: (path) =>
          !/^(build|node_modules)(\/|$)/.test(
            path
              .slice(REAL_DRIVER.length + 1)
              .split(sep)
              .join('/'),
          ),
      });
      link(dirname(REAL_DRIVER), 'bindings', dirname(dir));
    });
  });

  it('says how to get it built, and does not blame the path', () => {
    const outcome = run(root);
    expect(outcome.code).toBe('OMC_NATIVE_DRIVER');
    expect(outcome.message).toBe(
      `better-sqlite3 ${REAL_VERSION} is installed without its compiled addon ("Could not locate the bindings file"): ` +
        'its build script did not run, and pnpm 10 runs it only when allowed. To build it, run `pnpm approve-builds` ' +
        'and choose better-sqlite3, or list it under `onlyBuiltDependencies` (the "pnpm" field of package.json, or ' +
        'pnpm-workspace.yaml) and run `pnpm rebuild better-sqlite3` (npm: `npm rebuild better-sqlite3`).',
    );
    expect(outcome.message).not.toContain('typical.db');
    expect(outcome.message).not.toContain('Check the path');
  });
});

describe('no better-sqlite3 at all', () => {
  let root: string;
  beforeAll(() => {
    root = project(() => {});
  });

  it('is a typed error that says what to install', () => {
    const fitting = NODE_MAJOR >= 22 ? 13 : 12;
    expect(run(root)).toMatchObject({
      code: 'OMC_NATIVE_DRIVER',
      message:
        'better-sqlite3 is not installed beside @omc/store-sqlite. Install it: ' +
        `pnpm add --allow-build=better-sqlite3 better-sqlite3@${fitting} (npm: npm install better-sqlite3@${fitting}).`,
    });
  });
});

describe('better-sqlite3 12, built', () => {
  let root: string;
  beforeAll(() => {
    root = project((dir) => symlinkSync(REAL_DRIVER, dir, 'dir'));
  });

  it('opens a file pool from ESM and from CommonJS', () => {
    expect(run(root)).toEqual({ total: 1 });
    expect(run(root, 'main.cjs')).toEqual({ total: 2 });
  });
});
