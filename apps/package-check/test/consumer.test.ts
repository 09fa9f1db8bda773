import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ConsumerInstall, installConsumer } from '../src/consumer-project.js';
import { publicEntries, publishedPackages, run } from '../src/workspace.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const packages = publishedPackages();
let consumer: ConsumerInstall;

// One project outside the workspace, installed from the tarballs as a user would; every check below uses it.
beforeAll(() => {
  consumer = installConsumer(packages, inject('tarballDir'));
  console.log(`package-check: pnpm install of the tarballs took ${Math.round(consumer.installMs)} ms`);
});
afterAll(() => {
  if (consumer) rmSync(consumer.dir, { recursive: true, force: true });
});

const typecheck = (project: string) => {
  const result = run(process.execPath, [tsc, '-p', project], { cwd: consumer.dir });
  return { status: result.status, errors: result.stdout.split('\n').filter((line) => line.includes('error TS')) };
};

const runJson = (file: string) => {
  const result = run(process.execPath, [file], { cwd: consumer.dir });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
};

describe('the packages as installed from their tarballs, outside the workspace', () => {
  it('reuses better-sqlite3 from pnpm’s side-effects cache instead of compiling it', () => {
    const built = consumer.log.filter(
      (entry) => entry.name === 'pnpm:lifecycle' && String(entry.depPath ?? '').startsWith('better-sqlite3@'),
    );
    expect(built, 'better-sqlite3 was compiled again: its build is not in pnpm’s side-effects cache').toEqual([]);
    const binding = join(consumer.dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(existsSync(binding), `${binding} is missing: better-sqlite3 was neither built nor restored`).toBe(true);
  });

  it('the consumer sources import every public entry of every published package', () => {
    const sources = ['esm.ts', 'cjs.cts'].map((file) => readFileSync(join(consumer.dir, file), 'utf8'));
    for (const entry of packages.flatMap(publicEntries)) {
      for (const [i, source] of sources.entries()) expect(source, `${i}: ${entry}`).toContain(`from '${entry}';`);
    }
  });

  // strict, skipLibCheck: false: every .d.ts the packages ship (and what they import) is checked.
  it.each([
    ['nodenext (ESM and CJS)', 'tsconfig.json'],
    ['bundler', 'tsconfig.bundler.json'],
    ['node10 (CJS)', 'tsconfig.node10.json'],
  ])('type-checks strictly under %s resolution', (_mode, project) => {
    expect(typecheck(project)).toEqual({ status: 0, errors: [] });
  });

  describe('run with node', () => {
    // The nodenext build emits esm.js and cjs.cjs from the same type-checked sources; it still emits when
    // a declaration file has errors, so running does not wait for the type check to pass.
    beforeAll(() => {
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer.dir });
    });

    it('as ESM: the guide’s Typical Flow, a swarm, ecomode and the @omc/core/driver kit run', () => {
      expect(runJson('out/esm.js')).toEqual({
        stats: expect.objectContaining({ total: 6, completed: 6, pending: 0, failed: 0 }),
        swarmCompleted: 5,
        shouted: 'HELLO',
        ecoStatus: 'completed',
        poolErrorIsCoreError: true,
        testingErrorIsCoreError: true,
        driverKit: true,
        sqlKitClaimOrder: 'priority desc, created_at asc, seq asc',
      });
    });

    it('as CJS: the Typical Flow runs, @omc/core/testing throws @omc/core’s own error classes, @omc/core/driver is the same core', () => {
      expect(runJson('out/cjs.cjs')).toEqual({
        stats: expect.objectContaining({ total: 2, completed: 2 }),
        swarmCompleted: 1,
        testingErrorCode: 'OMC_INVALID_INPUT',
        testingErrorIsCoreError: true,
        poolErrorIsCoreError: true,
        sdkSharesCore: true,
        driverKit: true,
        sqlKitSeqColumn: 'seq',
      });
    });
  });
});
