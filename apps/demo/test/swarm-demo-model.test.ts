import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_PRICES_SOURCE } from '@omc/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeModelServer, runProgram } from './run.js';

// The swarm demo against a local server speaking the OpenAI API: what it says about failures and cost.
describe('swarm demo with a model server', () => {
  let server: Awaited<ReturnType<typeof fakeModelServer>>;
  let dir: string;
  beforeAll(async () => {
    server = await fakeModelServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-demo-model-'));
    server.mode = 'answer';
    server.requests = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Two tasks on an OpenAI-compatible model `foo` at the fake server. */
  const compatible = (...args: string[]) =>
    runProgram(
      'swarm-demo',
      ['--provider', 'openai-compatible', '--model', 'foo', '--tasks', '2', '--db', join(dir, 'p.db'), ...args],
      { env: { OMC_BASE_URL: server.url } },
    );

  it('exits 1 and says so when every task failed', async () => {
    server.mode = 'refuse';
    const ran = await compatible();
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('"completed":0,"failed":2');
    expect(ran.stdout).toMatch(/^FAILED: 2 of 2 task\(s\) failed \(2 in this run\); exit code 1\. First error: .*foo/m);
  });

  it('says the cost is unknown for a model with no price, instead of $0.0000', async () => {
    const ran = await compatible();
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('cost unknown (no price for openai-compatible:foo; pass --prices FILE.json)');
    expect(ran.stdout).not.toContain('$0.0000');
  });

  it('prices the run from --prices, a file relative to where the user is', async () => {
    writeFileSync(
      join(dir, 'prices.json'),
      JSON.stringify({ 'openai-compatible:foo': { inputPer1M: 2, outputPer1M: 4 } }),
    );
    const ran = await runProgram(
      'swarm-demo',
      ['--provider', 'openai-compatible', '--model', 'foo', '--tasks', '2', '--db', 'p.db', '--prices', 'prices.json'],
      { cwd: dir, env: { OMC_BASE_URL: server.url } },
    );
    expect(ran.code).toBe(0);
    // Two answers of 1 000 input and 500 output tokens: 2 × (0.002 + 0.002) = $0.0080.
    expect(ran.stdout).toContain(`$0.0080 at the prices from ${join(dir, 'prices.json')}`);
  });

  it('says where the built-in prices come from and when they were taken', async () => {
    const ran = await runProgram('swarm-demo', ['--provider', 'openai', '--model', 'gpt-4.1-mini', '--tasks', '2'], {
      cwd: dir,
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url },
    });
    expect(ran.code).toBe(0);
    // 2 × (1 000 × $0.40 + 500 × $1.60) / 1M = $0.0024.
    expect(ran.stdout).toContain(`$0.0024 at ${BUILT_IN_PRICES_SOURCE} (pass --prices FILE.json for current ones)`);
    expect(BUILT_IN_PRICES_SOURCE).toContain('recorded in 2025');
  });

  it('--timeout fails a model call that never answers, and the run ends', async () => {
    server.mode = 'hang';
    // 1 s: long enough that a loaded machine sends each request before the timeout aborts it.
    const ran = await compatible('--timeout', '1000');
    expect(ran.code).toBe(1);
    expect(server.requests).toBeGreaterThanOrEqual(2);
    expect(ran.stdout).toMatch(/^FAILED: 2 of 2 task\(s\) failed/m);
    expect(ran.stdout).toMatch(/First error: .*(time|1000 ms)/i);
  });
});
