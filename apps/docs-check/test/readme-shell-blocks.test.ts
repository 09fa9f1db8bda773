// Every command of every ```sh block in every README.md runs as written, unless the block is marked
// `<!-- not run: why -->` (or `<!-- not run (lines 2, 3): why -->` for some of its lines).
//
// They run as a newcomer would run them: in a fresh copy of the repository (the files git would commit,
// no node_modules, no build), READMEs in order with the root's first (its `pnpm install` sets the copy
// up), each command from its README's directory, offline (no model configured), with no stdin. Files
// the commands write stay in the copy, which is deleted afterwards. The copy's turbo reads the
// repository's own build cache, so `pnpm demo` there replays the builds `pnpm verify` has just done.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, markdownFiles, REPO_ROOT, repositoryFiles } from '../src/markdown.js';
import { SHELL_LANGS, shellCommands } from '../src/shell-blocks.js';

const COMMAND_TIMEOUT_MS = 300_000;

const blocks = markdownFiles('README.md').flatMap((file) => codeBlocks(file).filter((b) => SHELL_LANGS.has(b.lang)));
const report: string[] = [];
let copy = '';

beforeAll(() => {
  copy = join(mkdtempSync(join(tmpdir(), 'omc-readme-')), 'omc');
  for (const file of repositoryFiles()) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(copy, file));
  }
});

afterAll(() => {
  console.log(`README shell commands, run in a fresh copy of the repository:\n${report.join('\n')}`);
  if (copy !== '') rmSync(dirname(copy), { recursive: true, force: true });
});

/** A shell's environment as a newcomer has it: none of this test's pnpm, turbo or vitest context, no model. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|PNPM_|INIT_CWD$|VITEST|TURBO_HASH$|TURBO_INVOCATION_DIR$|TURBO_FORCE$|OMC_|OPENAI_|OLLAMA_)/.test(key))
      continue;
    env[key] = value;
  }
  // pnpm puts this repository's node_modules/.bin folders first; the copy has its own.
  env.PATH = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !(dir.startsWith(REPO_ROOT) && dir.includes(`${sep}node_modules${sep}.bin`)))
    .join(delimiter);
  // node-gyp builds an addon against the headers of the Node that runs it; a newcomer's downloads them,
  // here they sit beside the binary (CI's Node 24 comes as a whole distribution).
  const nodeDir = dirname(dirname(process.execPath));
  if (existsSync(join(nodeDir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeDir;
  const cache = join(REPO_ROOT, '.turbo', 'cache');
  if (env.TURBO_CACHE_DIR === undefined && existsSync(cache)) env.TURBO_CACHE_DIR = cache;
  return env;
}

function runCommand(command: string, cwd: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn('bash', ['-c', command], {
    cwd,
    env: newcomerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a timeout stops everything it started
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), COMMAND_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal === null ? code : null, output, ms: Date.now() - started });
    });
  });
}

/** How a command reads in a test name and the report: as written, without its trailing comment. */
const shown = (text: string) => `\`${text.replace(/\s+#\s.*$/, '')}\``;

describe.sequential('README shell blocks', () => {
  it('finds the README shell blocks', () => {
    expect(blocks.map((b) => b.file)).toContain('README.md');
  });

  for (const block of blocks) {
    const commands = shellCommands(block);
    if (commands.length > 0 && commands.every((c) => c.notRun === commands[0]?.notRun && c.notRun !== undefined)) {
      const name = `${block.file}:${block.line} (${block.lines.length} line${block.lines.length === 1 ? '' : 's'}) is not run: ${commands[0]?.notRun}`;
      report.push(`  not run  ${name}`);
      it.skip(name);
      continue;
    }
    for (const command of commands) {
      const where = `${block.file}:${block.line + command.blockLine}`;
      if (command.notRun !== undefined) {
        report.push(`  not run  ${where} ${shown(command.text)}: ${command.notRun}`);
        it.skip(`${where} ${shown(command.text)} is not run: ${command.notRun}`);
        continue;
      }
      const entry = report.push(`  ?        ${where} ${shown(command.text)}`) - 1;
      it(
        `${where} ${shown(command.text)} runs`,
        async () => {
          const { code, output, ms } = await runCommand(command.text, dirname(join(copy, block.file)));
          report[entry] =
            `  ${code === 0 ? 'ran   ' : 'FAILED'}   ${where} ${shown(command.text)}: exit ${code ?? 'by signal'}, ${(ms / 1000).toFixed(1)} s`;
          const tail = output.trimEnd().split('\n').slice(-40).join('\n');
          expect(
            code,
            `${shown(command.text)} (${where}) exited ${code ?? 'on a signal or timeout'}; fix the command or the code, or mark the block <!-- not run: why -->. Its output ended:\n${tail}`,
          ).toBe(0);
        },
        COMMAND_TIMEOUT_MS + 10_000,
      );
    }
  }
});
