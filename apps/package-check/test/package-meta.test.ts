import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Manifest, REPO_ROOT, readJson, run } from '../src/workspace.js';

const SCRIPT = 'scripts/sync-package-meta.mjs';
const sync = (root: string, ...args: string[]) => run(process.execPath, [SCRIPT, ...args], { cwd: root });

describe('package metadata (pnpm sync-meta)', () => {
  it('every package under packages/ carries the root’s repository, homepage and bugs', () => {
    const result = sync(REPO_ROOT, '--check');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const root = readJson<Manifest & { repository: { url: string } }>(join(REPO_ROOT, 'package.json'));
    expect(root.repository.url).toBe('git+https://github.com/omc-dev/omc.git');
  });

  describe('on a copy of the layout', () => {
    let dir: string;
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const layout = (fooMeta: Record<string, unknown>) => {
      dir = mkdtempSync(join(tmpdir(), 'omc-sync-meta-'));
      mkdirSync(join(dir, 'scripts'));
      cpSync(join(REPO_ROOT, SCRIPT), join(dir, SCRIPT));
      const root = readJson<Record<string, unknown>>(join(REPO_ROOT, 'package.json'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify(root));
      mkdirSync(join(dir, 'packages/foo'), { recursive: true });
      writeFileSync(join(dir, 'packages/foo/package.json'), JSON.stringify({ name: '@omc/foo', ...fooMeta }));
      return join(dir, 'packages/foo/package.json');
    };

    it('--check names a drifted package and exits 1; a sync fixes it', () => {
      const foo = layout({ license: 'MIT', repository: { type: 'git', url: 'https://example.invalid/omc.git' } });
      const check = sync(dir, '--check');
      expect({ status: check.status, stderr: check.stderr }).toEqual({
        status: 1,
        stderr:
          'packages/foo/package.json: repository, homepage, bugs differ from the root package.json; run pnpm sync-meta\n',
      });

      expect(sync(dir).status).toBe(0);
      expect(JSON.parse(readFileSync(foo, 'utf8'))).toEqual({
        name: '@omc/foo',
        license: 'MIT',
        repository: { type: 'git', url: 'git+https://github.com/omc-dev/omc.git', directory: 'packages/foo' },
        homepage: 'https://github.com/omc-dev/omc/tree/main/packages/foo#readme',
        bugs: { url: 'https://github.com/omc-dev/omc/issues' },
      });
      expect(sync(dir, '--check')).toMatchObject({ status: 0, stderr: '' });
    });

    it('an unknown argument gets one line and exit code 2', () => {
      layout({});
      expect(sync(dir, '--chek')).toEqual({
        status: 2,
        signal: null,
        stdout: '',
        stderr: "sync-package-meta: unknown argument '--chek'; the only option is --check\n",
      });
    });
  });
});
