// Every relative link and heading anchor in every Markdown file git would commit resolves. Offline:
// remark-validate-links checks files and headings, never URLs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { markdownFiles, REPO_ROOT } from '../src/markdown.js';

it('every relative link and anchor in the Markdown files resolves', () => {
  const files = markdownFiles();
  expect(files).toContain('README.md');
  const remark = join(import.meta.dirname, '../node_modules/.bin/remark');
  const rc = join(import.meta.dirname, '../remarkrc.mjs');
  const run = spawnSync(remark, ['--rc-path', rc, '--frail', '--quiet', '--no-stdout', '--no-color', ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  expect(`${run.stdout}${run.stderr}`.trim(), 'broken links (file:line:column, then what is missing)').toBe('');
  expect(run.status).toBe(0);
}, 60_000);
