// Runs every example as a user would (`tsx <file>`, here `node --import tsx` on this Node), each in a
// fresh temp dir so the SQLite files it writes land there, offline: no model is configured, so the
// role agents answer with the scripted model.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const EXAMPLES = join(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The environment without anything that would point the agents at a real model. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (/^(OMC_|OPENAI_|OLLAMA_)/.test(key)) delete env[key];
  return env;
}

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string; files: string[] }> {
  const cwd = mkdtempSync(join(tmpdir(), 'omc-example-'));
  dirs.push(cwd);
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(EXAMPLES, file)], {
    cwd,
    env: offlineEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, files: readdirSync(cwd) }));
  });
}

const EXPECTED: Record<string, RegExp[]> = {
  'swarm-example.ts': [
    /^completed 20 of 20 tasks$/m,
    ...[1, 2, 3, 4, 5].map((n) => new RegExp(`^executor-${n}: \\d+$`, 'm')),
    /^model: scripted \(offline\)$/m,
  ],
  'task-pool.ts': [/^agent-1 did "Fix login"$/m, /^total 2, pending 1, completed 1$/m],
  'leases.ts': [
    /^worker-1 holds "Send report", token 1$/m,
    /^worker-2 took it over, token 2, attempt 2$/m,
    /^worker-1 refused: OMC_LEASE_LOST$/m,
    /^result: sent by worker-2$/m,
  ],
  'command-agent.ts': [/^greet: HELLO; RM -RF \/ \$\(WHOAMI\)$/m, /^quote: IT'S "QUOTED"$/m],
  'autopilot.ts': [
    /^autopilot completed$/m,
    /^architect: completed \(scripted \(offline\)\)\nexecutor: completed .*\nqa-tester: completed .*\nsecurity-reviewer: completed .*$/m,
    /^again: same run true, 4 tasks in the pool$/m,
  ],
  'ultrawork.ts': [
    /^Write the changelog: completed, \[scripted \(offline\) executor\]/m,
    /^Count the TODOs: completed, 3 TODOs$/m,
    /^Check the licence: completed, /m,
  ],
  'ecomode.ts': [/^completed by scripted \(offline\): /m, /"completed":1/],
  'mode-agents.ts': [/^architect: \[scripted/m, /^qa-tester: checked 1 earlier stage\(s\) of "Add rate limiting/m],
};

describe.concurrent('examples', () => {
  it('every example has expectations here', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts') && f !== 'vitest.config.ts');
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, patterns] of Object.entries(EXPECTED)) {
    it(`${file} runs, prints what it should and exits 0`, async () => {
      const { code, stdout, stderr, files } = await run(file);
      expect(code, `${file} failed:\n${stderr}`).toBe(0);
      for (const pattern of patterns) expect(stdout).toMatch(pattern);
      expect(
        files.some((f) => f.endsWith('.db')),
        'its SQLite file lands in the directory it runs in',
      ).toBe(true);
    });
  }
});
