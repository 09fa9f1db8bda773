import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const SRC = join(import.meta.dirname, '..', 'src');
export const REPO = join(import.meta.dirname, '..', '..', '..');
export const PROGRAMS = ['swarm-demo', 'command-demo', 'typical-flow'] as const;
export type Program = (typeof PROGRAMS)[number];
/** The package script that runs each program. */
export const SCRIPTS: Record<Program, string> = {
  'swarm-demo': 'start',
  'command-demo': 'commands',
  'typical-flow': 'typical-flow',
};

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Variables that would point a demo at a real model, price it, or change its output: unset unless a test sets them.
const NEUTRAL_ENV: Record<string, undefined> = {
  OMC_PROVIDER: undefined,
  OMC_BASE_URL: undefined,
  OMC_MODEL: undefined,
  OMC_API_KEY: undefined,
  OMC_PRICES: undefined,
  OMC_DB: undefined,
  OPENAI_API_KEY: undefined,
  OPENAI_BASE_URL: undefined,
  OLLAMA_BASE_URL: undefined,
  OLLAMA_MODEL: undefined,
  NO_COLOR: undefined,
};

/**
 * Run a command to its end without blocking this process (a fake server in it must keep answering).
 * `env` is added to this process's environment; a key set to `undefined` is removed.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<Ran> {
  const env = { ...process.env, ...NEUTRAL_ENV, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Run a demo program with `node`, as `node apps/demo/src/<program>.mjs …` does. */
export function runProgram(
  program: Program,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<Ran> {
  return run(process.execPath, [join(SRC, `${program}.mjs`), ...args], options);
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Run a demo program on a pseudo-terminal (util-linux `script`), as in an interactive shell: its stdout is
 * a TTY. Returns everything the terminal received.
 */
export function runOnTerminal(
  program: Program,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<Ran> {
  const command = [process.execPath, join(SRC, `${program}.mjs`), ...args].map(quote).join(' ');
  return run('script', ['-qefc', command, '/dev/null'], options);
}

/** How the fake model server answers: a chat completion, a 400 refusal, or never. */
export type ServerMode = 'answer' | 'refuse' | 'hang';

/**
 * A local server speaking the OpenAI chat-completions API, so the demo's real-provider path runs offline.
 * Each answer uses 1 000 input and 500 output tokens.
 */
export async function fakeModelServer(): Promise<{
  url: string;
  mode: ServerMode;
  requests: number;
  close: () => Promise<void>;
}> {
  const state = {
    url: '',
    mode: 'answer' as ServerMode,
    requests: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      state.requests++;
      if (state.mode === 'hang') return;
      if (state.mode === 'refuse') {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'model foo does not exist', type: 'invalid_request_error' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-demo',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: JSON.parse(raw).model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'Done.' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1_000, completion_tokens: 500, total_tokens: 1_500 },
        }),
      );
    });
  });
  const close = state.close;
  state.close = () => {
    server.closeAllConnections();
    return close();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
