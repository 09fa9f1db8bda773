// docs/task-management-guide.md is the specification kept word for word beside its neighbours (modes.md,
// api.md), so its links resolve. Where the specification's own folder sits beside this checkout (as it does
// for the team and in CI), the copy must not drift from it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../src/markdown.js';

const spec = join(REPO_ROOT, '..', 'shared', 'spec', 'task-management-guide.md');

it.skipIf(!existsSync(spec))('docs/task-management-guide.md is the specification, word for word', () => {
  const copy = readFileSync(join(REPO_ROOT, 'docs', 'task-management-guide.md'), 'utf8');
  expect(copy === readFileSync(spec, 'utf8'), `copy ${spec} to docs/task-management-guide.md`).toBe(true);
});
