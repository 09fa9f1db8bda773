/** The chaos workers run the BUILT package: refuse to test stale code. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from './chaos-fleet.js';

/** Files under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Throws, saying how to fix it, when dist/ is missing or older than any file of src/. */
export function assertWorkersCanRun(): void {
  const built = join(PACKAGE_DIR, 'dist', 'index.js');
  const rebuild = 'pnpm turbo run build --filter=@omc/store-postgres';
  if (!existsSync(built)) {
    throw new Error(`${built} is missing. The chaos workers run the BUILT package in child processes: ${rebuild}`);
  }
  const builtAt = statSync(built).mtimeMs;
  const stale = filesUnder(join(PACKAGE_DIR, 'src')).filter((file) => statSync(file).mtimeMs > builtAt);
  if (stale.length > 0) {
    throw new Error(`dist/index.js is older than ${stale.join(', ')}: the workers would run stale code. ${rebuild}`);
  }
}
