import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { bin, publishedPackages, REPO_ROOT, run } from '../src/workspace.js';

// publint reads the packed tarball as npm would serve it; --strict turns its warnings into errors.
describe.each(publishedPackages())('publint --strict: $name', (pkg) => {
  it('finds nothing to fix', () => {
    const tarball = join(inject('tarballDir'), pkg.tarballName);
    const result = run(bin('publint'), ['run', tarball, '--strict', '--level', 'suggestion'], { cwd: REPO_ROOT });
    expect(result.stdout + result.stderr).toContain('All good!');
    expect(result.status).toBe(0);
  });
});
