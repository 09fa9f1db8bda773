import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_DIR } from './helpers.js';

/** What a child process left behind. */
export interface ChildResult {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A forked fixture (a `.mjs` under test/fixtures, run by this Node) with an IPC channel. */
export interface Child {
  process: ChildProcess;
  /** Settles when the process has exited and its output streams have closed. */
  result: Promise<ChildResult>;
  /** The next IPC message the child sends. */
  nextMessage(): Promise<unknown>;
}

/** Fork `test/fixtures/<name>` with `args`, collecting its stdout and stderr. */
export function forkFixture(name: string, args: string[]): Child {
  const child = fork(join(PACKAGE_DIR, 'test', 'fixtures', name), args, {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ pid: child.pid ?? -1, code, signal, stdout, stderr }));
  });
  return {
    process: child,
    result,
    nextMessage: () =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`child ${name} exited (${code}) before sending a message:\n${stderr}`));
        child.once('exit', onExit);
        child.once('message', (message) => {
          child.off('exit', onExit);
          resolve(message);
        });
      }),
  };
}
