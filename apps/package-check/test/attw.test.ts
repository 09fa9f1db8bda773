import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { bin, publishedPackages, REPO_ROOT, run } from '../src/workspace.js';

interface AttwReport {
  analysis: {
    types: false | object;
    entrypoints?: Record<string, unknown>;
    problems?: { kind: string; entrypoint: string; resolutionKind?: string }[];
  };
}

// Are the Types Wrong? resolves every entry point of the packed tarball as TypeScript does under node10,
// node16 from CommonJS, node16 from ESM and bundler, and checks each lands on types of the right format.
describe.each(publishedPackages())('attw: $name', (pkg) => {
  it('resolves every entry point in every module resolution mode', () => {
    const tarball = join(inject('tarballDir'), pkg.tarballName);
    const { stdout, stderr } = run(bin('attw'), [tarball, '--format', 'json', '--profile', 'strict'], {
      cwd: REPO_ROOT,
    });
    const report = JSON.parse(stdout || stderr) as AttwReport;
    expect(report.analysis.types, 'the tarball ships no type declarations').not.toBe(false);
    expect(Object.keys(report.analysis.entrypoints ?? {}).sort()).toEqual(
      Object.keys(pkg.manifest.exports ?? {}).sort(),
    );
    expect(report.analysis.problems).toEqual([]);
  });
});
