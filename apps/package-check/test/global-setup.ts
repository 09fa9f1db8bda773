import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { publishedPackages, run } from '../src/workspace.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory holding one `pnpm pack` tarball per published package. */
    tarballDir: string;
  }
}

// Pack once for every test file: the tarballs are what `pnpm publish` would upload.
export default function setup(project: TestProject): () => void {
  const tarballDir = mkdtempSync(join(tmpdir(), 'omc-tarballs-'));
  for (const pkg of publishedPackages()) {
    if (!existsSync(join(pkg.dir, 'dist'))) {
      throw new Error(`${pkg.name} is not built: run pnpm build (turbo builds it before this test).`);
    }
    const packed = run('pnpm', ['pack', '--pack-destination', tarballDir], { cwd: pkg.dir });
    if (packed.status !== 0) {
      const how = packed.signal === null ? `exit code ${packed.status}` : `killed by ${packed.signal}`;
      throw new Error(`pnpm pack failed for ${pkg.name} (${how}):\n${packed.stdout}${packed.stderr}`);
    }
  }
  project.provide('tarballDir', tarballDir);
  return () => rmSync(tarballDir, { recursive: true, force: true });
}
