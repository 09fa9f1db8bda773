import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, OmcError } from '@omc/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandAgent, CommandFailedError, CommandTimeoutError } from '../src/index.js';
import { makeContext, makeTask, processGone } from './helpers.js';

const NODE = process.execPath;
/** A node program that prints its arguments as JSON. */
const PRINT_ARGV = ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '--'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'omc-command-agent-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The pids a test shell wrote to `file`, one a line, once it has written `count` of them. */
async function pidsWritten(file: string, count: number): Promise<number[]> {
  let pids: number[] = [];
  await vi.waitFor(
    () => {
      pids = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
      expect(pids.length).toBe(count);
    },
    { timeout: 5000, interval: 20 },
  );
  return pids;
}

describe('CommandAgent argv templating', () => {
  it('passes task text with shell metacharacters as single, verbatim arguments and runs nothing', async () => {
    const marker = join(dir, 'pwned');
    const title = `$(touch ${marker}); rm -rf ${dir}/* && touch ${marker} | cat \`touch ${marker}\``;
    const description = `"double" 'single' \\ back\nnew line; * ? ~ > ${marker}`;
    const agent = new CommandAgent({
      name: 'argv',
      command: NODE,
      args: [...PRINT_ARGV, '{{task.title}}', 'desc={{task.description}}', '{{task.id}}', '{{task.priority}}'],
    });
    const task = makeTask({ title, description });

    const result = await agent.execute(task, makeContext());

    expect(JSON.parse(result!)).toEqual([title, `desc=${description}`, task.id, '1']);
    expect(existsSync(marker)).toBe(false);
  });

  it('is safe when a fixed shell script takes the task text as a positional parameter', async () => {
    const marker = join(dir, 'pwned');
    const agent = new CommandAgent({
      name: 'sh',
      command: 'sh',
      args: ['-c', 'printf "%s" "$1"', 'sh', '{{task.title}}'],
    });
    const title = `$(touch ${marker}); touch ${marker}`;

    await expect(agent.execute(makeTask({ title }), makeContext())).resolves.toBe(title);
    expect(existsSync(marker)).toBe(false);
  });

  it('fills metadata (JSON for non-strings), dependencies, attempt and worker name', async () => {
    const agent = new CommandAgent({
      name: 'argv',
      command: NODE,
      args: [
        ...PRINT_ARGV,
        '{{metadata.path}}',
        '--count={{ metadata.count }}',
        '{{metadata.tags}}',
        '{{dependency.0.result}}|{{dependency.1.title}}',
        '{{attempt}}@{{workerName}}',
      ],
    });
    const task = makeTask({ metadata: { path: 'src/a b.ts', count: 3, tags: ['x', 'y'] } });
    const dependencies = [makeTask({ result: 'first result' }), makeTask({ title: 'Second' })];

    const result = await agent.execute(task, makeContext({ dependencies, attempt: 2, workerName: 'argv-3' }));

    expect(JSON.parse(result!)).toEqual(['src/a b.ts', '--count=3', '["x","y"]', 'first result|Second', '2@argv-3']);
  });

  it('refuses an unknown placeholder when the agent is built', () => {
    const build = () => new CommandAgent({ name: 'bad', command: NODE, args: ['-e', '{{task.secret}}'] });
    expect(build).toThrow(InvalidInputError);
    expect(build).toThrow(/args\[1\] uses the unknown placeholder \{\{task\.secret\}\}/);
  });

  it('fails the attempt, naming the task, when a metadata key or dependency is missing', async () => {
    const task = makeTask({ metadata: {} });
    const byKey = new CommandAgent({ name: 'm', command: NODE, args: ['{{metadata.path}}'] });
    const byDependency = new CommandAgent({ name: 'd', command: NODE, args: ['{{dependency.0.result}}'] });

    const keyError = await byKey.execute(task, makeContext()).catch((e: unknown) => e);
    const dependencyError = await byDependency.execute(task, makeContext()).catch((e: unknown) => e);

    for (const error of [keyError, dependencyError]) {
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect((error as InvalidInputError).taskId).toBe(task.id);
      expect((error as InvalidInputError).message).toContain(task.id);
    }
    expect((keyError as Error).message).toMatch(/no metadata key "path"/);
  });

  it('refuses task text holding a NUL byte before starting anything', async () => {
    const agent = new CommandAgent({ name: 'nul', command: NODE, args: ['{{task.title}}'] });
    await expect(agent.execute(makeTask({ title: 'a\0b' }), makeContext())).rejects.toThrow(/NUL byte/);
  });
});

describe('CommandAgent environment', () => {
  it('runs in cwd with env on top of the inherited environment and the OMC_* variables', async () => {
    const agent = new CommandAgent({
      name: 'env',
      command: NODE,
      args: [
        '-e',
        'const e = process.env; console.log(JSON.stringify([process.cwd(), e.GREETING, e.OMC_TASK_ID, e.OMC_TASK_ATTEMPT, e.OMC_WORKER_NAME, e.PATH !== undefined, e.HOME === undefined]))',
      ],
      cwd: dir,
      env: { GREETING: 'hello', HOME: undefined },
    });
    const task = makeTask();

    const result = await agent.execute(task, makeContext({ attempt: 3, workerName: 'env-1' }));

    expect(JSON.parse(result!)).toEqual([realpathSync(dir), 'hello', task.id, '3', 'env-1', true, true]);
  });

  it('starts from an empty environment when inheritEnv is false', async () => {
    const agent = new CommandAgent({
      name: 'env',
      command: NODE,
      args: ['-e', 'console.log(Object.keys(process.env).sort().join(","))'],
      env: { ONLY: '1' },
      inheritEnv: false,
    });
    await expect(agent.execute(makeTask(), makeContext())).resolves.toBe(
      'OMC_TASK_ATTEMPT,OMC_TASK_ID,OMC_WORKER_NAME,ONLY',
    );
  });
});

describe('CommandAgent results and failures', () => {
  it('returns trimmed stdout, capped at maxOutputBytes, or nothing with resultFrom none', async () => {
    const print = (text: string) => ['-e', `process.stdout.write(${JSON.stringify(text)})`];
    const task = makeTask();
    const trimmed = new CommandAgent({ name: 'o', command: NODE, args: print('\n  done  \n') });
    const capped = new CommandAgent({ name: 'o', command: NODE, args: print('x'.repeat(5000)), maxOutputBytes: 100 });
    const none = new CommandAgent({ name: 'o', command: NODE, args: print('ignored'), resultFrom: 'none' });

    expect(await trimmed.execute(task, makeContext())).toBe('done');
    expect(await capped.execute(task, makeContext())).toBe(
      `${'x'.repeat(100)}\n[output truncated: 5000 bytes written, the first 100 kept]`,
    );
    expect(await none.execute(task, makeContext())).toBeUndefined();
  });

  it('fails with the exit code and the tail of stderr on a non-zero exit', async () => {
    const agent = new CommandAgent({
      name: 'fail',
      command: NODE,
      args: ['-e', 'process.stderr.write("HEAD-" + "e".repeat(5000) + "-THE-END"); process.exit(3)'],
    });
    const task = makeTask();

    const error = await agent.execute(task, makeContext()).catch((e: unknown) => e);

    expect(CommandFailedError.isInstance(error)).toBe(true);
    const failed = error as CommandFailedError;
    expect(failed.code).toBe('OMC_COMMAND_FAILED');
    expect(OmcError.isInstance(failed)).toBe(true);
    expect(failed).toMatchObject({ taskId: task.id, failure: 'exit', exitCode: 3, signal: null });
    expect(failed.message).toContain(task.id);
    expect(failed.message).toContain('exited with code 3');
    expect(failed.message).toContain('-THE-END');
    expect(failed.stderrTail.length).toBeLessThanOrEqual(2048);
    expect(failed.stderrTail).not.toContain('HEAD-');
  });

  it('fails with the signal when the program is killed by one', async () => {
    const agent = new CommandAgent({ name: 'killed', command: 'sh', args: ['-c', 'kill -9 $$'] });
    await expect(agent.execute(makeTask(), makeContext())).rejects.toMatchObject({
      code: 'OMC_COMMAND_FAILED',
      failure: 'signal',
      signal: 'SIGKILL',
      exitCode: null,
    });
  });

  it('fails with failure "spawn" when the program does not exist', async () => {
    const agent = new CommandAgent({ name: 'missing', command: join(dir, 'no-such-program') });
    const error = await agent.execute(makeTask(), makeContext()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OMC_COMMAND_FAILED', failure: 'spawn' });
    expect((error as Error).message).toMatch(/could not be started \(.*ENOENT/);
  });

  it('refuses bad options when built', () => {
    expect(() => new CommandAgent({ name: '', command: 'x' })).toThrow(InvalidInputError);
    expect(() => new CommandAgent({ name: 'a', command: ' ' })).toThrow(/needs a program/);
    expect(() => new CommandAgent({ name: 'a', command: 'x', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new CommandAgent({ name: 'a', command: 'x', capabilities: [''] })).toThrow(InvalidInputError);
  });
});

describe('CommandAgent process trees', () => {
  it('kills a hanging command and its children at its timeout', async () => {
    const pidFile = join(dir, 'pids');
    const agent = new CommandAgent({
      name: 'hang',
      command: 'sh',
      args: ['-c', 'sleep 60 & echo $! > "$1"; sleep 60 & echo $! >> "$1"; echo $$ >> "$1"; wait', 'sh', pidFile],
      timeoutMs: 1500,
      killGraceMs: 500,
    });
    const task = makeTask();
    const ctx = makeContext();

    const error = await agent.execute(task, ctx).catch((e: unknown) => e);

    expect(CommandTimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OMC_COMMAND_FAILED', failure: 'timeout', timeoutMs: 1500, taskId: task.id });
    const pids = await pidsWritten(pidFile, 3);
    await vi.waitFor(() => expect(pids.filter((pid) => !processGone(pid))).toEqual([]), { timeout: 3000 });
    expect(ctx.logged.some((line) => line.startsWith('warn: timed out'))).toBe(true);
  });

  it('sends SIGKILL after the grace period to a tree that ignores SIGTERM', async () => {
    const pidFile = join(dir, 'pids');
    const agent = new CommandAgent({
      name: 'stubborn',
      command: 'sh',
      args: ['-c', 'trap "" TERM; sleep 60 & echo $! > "$1"; echo $$ >> "$1"; wait; wait', 'sh', pidFile],
      timeoutMs: 1500,
      killGraceMs: 200,
    });

    await expect(agent.execute(makeTask(), makeContext())).rejects.toSatisfy(CommandTimeoutError.isInstance);
    const pids = await pidsWritten(pidFile, 2);
    await vi.waitFor(() => expect(pids.filter((pid) => !processGone(pid))).toEqual([]), { timeout: 3000 });
  });

  it('kills the tree and rejects with the reason when ctx.signal aborts', async () => {
    const pidFile = join(dir, 'pids');
    const agent = new CommandAgent({
      name: 'abortable',
      command: 'sh',
      args: ['-c', 'sleep 60 & echo $! > "$1"; echo $$ >> "$1"; wait', 'sh', pidFile],
      killGraceMs: 500,
    });
    const controller = new AbortController();
    const reason = new Error('the task was cancelled');

    const running = agent.execute(makeTask(), makeContext({ signal: controller.signal }));
    const pids = await pidsWritten(pidFile, 2);
    controller.abort(reason);

    await expect(running).rejects.toBe(reason);
    await vi.waitFor(() => expect(pids.filter((pid) => !processGone(pid))).toEqual([]), { timeout: 3000 });
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const marker = join(dir, 'started');
    const agent = new CommandAgent({ name: 'a', command: 'touch', args: [marker] });

    await expect(agent.execute(makeTask(), makeContext({ signal: controller.signal }))).rejects.toThrow(
      'shutting down',
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('completes when the program exits, and stops the children it left behind', async () => {
    const pidFile = join(dir, 'pids');
    const agent = new CommandAgent({
      name: 'leaves-children',
      command: 'sh',
      // The background sleep holds stdout open: without the sweep the attempt would wait 60 s for it.
      args: ['-c', 'sleep 60 & echo $! > "$1"; echo done', 'sh', pidFile],
      killGraceMs: 100,
    });

    await expect(agent.execute(makeTask(), makeContext())).resolves.toBe('done');
    const [sleeper] = await pidsWritten(pidFile, 1);
    await vi.waitFor(() => expect(processGone(sleeper!)).toBe(true), { timeout: 3000 });
  });
});
