import { type ChildProcess, spawn } from 'node:child_process';
import { type Agent, type AgentContext, InvalidInputError, type Task, validateOptionalInteger } from '@omc/core';
import { checkIdentity } from './agent-options.js';
import { ArgvTemplate } from './argv-template.js';
import { CommandFailedError, CommandTimeoutError } from './errors.js';
import { OutputHead, OutputTail } from './output-capture.js';
import { processGroupAlive, terminateProcessGroup } from './process-group.js';

/** How many bytes of stderr an error message quotes. */
const STDERR_TAIL_BYTES = 2048;

/** What a {@link CommandAgent} runs. */
export interface CommandAgentOptions {
  /** The agent kind's name; the swarm names workers `<name>-<n>`. */
  name: string;
  /** What it can do (e.g. `['shell']`). Default: none. */
  capabilities?: readonly string[];
  /**
   * The program: a path or a name looked up in `PATH`. Never run through a shell, and never filled from the
   * task: a `{{…}}` placeholder here is refused when the agent is built (a task must not choose what runs).
   */
  command: string;
  /**
   * Its arguments, each a template: `{{task.id}}`, `{{task.title}}`, `{{task.description}}`,
   * `{{task.priority}}`, `{{metadata.<key>}}` (JSON for non-strings), `{{dependency.<n>.id|title|result}}`
   * (n from 0, in `dependsOn` order), `{{attempt}}`, `{{workerName}}`. A placeholder fills only its own
   * element. An unknown placeholder is refused when the agent is built; a metadata key or dependency the
   * task lacks fails that task's attempt with an `InvalidInputError` naming the task.
   *
   * Task text never becomes an option: an element that starts with a placeholder and renders to text
   * beginning with `-` fails the attempt with an `UnsafeArgumentError` (nothing runs), unless a literal
   * `--` element comes before it. Put `--` before task text the program takes as operands, or join the
   * placeholder to an option so the text is only its value:
   * `['-e', script, '--', '{{task.title}}']` or `['--title={{task.title}}']`, not `['-e', script, '{{task.title}}']`
   * (a task titled `--require=evil.js` would make node load that file).
   */
  args?: readonly string[];
  /** Working directory. Default: the current one. */
  cwd?: string;
  /**
   * Variables set on top of the inherited environment (`undefined` removes one). The child also gets
   * `OMC_TASK_ID`, `OMC_TASK_ATTEMPT` and `OMC_WORKER_NAME`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Start from `process.env` (default) or from nothing but `env` and the `OMC_*` variables. */
  inheritEnv?: boolean;
  /** Kill the program (and everything it started) after this many ms. Default: no limit of its own. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL when stopping it. Default 2000 ms. */
  killGraceMs?: number;
  /** Stdout kept for the result; the rest is read and dropped, with a note. Default 1 MiB. */
  maxOutputBytes?: number;
  /** `stdout` (default): the trimmed stdout is the task's result. `none`: no result. */
  resultFrom?: 'stdout' | 'none';
}

/**
 * Runs a program for each task, with an argv built from a template and the task — never a shell string,
 * so task text cannot inject commands. The program leads its own process group: on timeout, on
 * `ctx.signal` abort, and when it exits leaving children behind, the whole group gets SIGTERM, then
 * SIGKILL after a grace period. Exit code 0 completes the task with the trimmed stdout; anything else
 * fails the attempt with a {@link CommandFailedError} quoting the tail of stderr; a timeout fails it with
 * a {@link CommandTimeoutError}; an abort rejects with `ctx.signal.reason`.
 *
 * ### Examples
 * ```ts
 * const linter = new CommandAgent({
 *   name: 'linter',
 *   capabilities: ['lint'],
 *   command: 'npx',
 *   args: ['eslint', '--max-warnings=0', '{{metadata.path}}'],
 *   cwd: '/repo',
 *   timeoutMs: 60_000,
 * });
 * swarm.registerAgent(linter);
 * ```
 */
export class CommandAgent implements Agent {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly command: string;
  private readonly template: ArgvTemplate;
  private readonly options: CommandAgentOptions;
  private readonly killGraceMs: number;
  private readonly maxOutputBytes: number;

  constructor(options: CommandAgentOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidInputError('options', 'CommandAgent needs options such as { name, command, args }.');
    }
    ({ name: this.name, capabilities: this.capabilities } = checkIdentity(
      'CommandAgent',
      options.name,
      options.capabilities,
    ));
    if (typeof options.command !== 'string' || options.command.trim() === '' || options.command.includes('\0')) {
      throw new InvalidInputError(
        'command',
        `CommandAgent ${this.name} needs a program to run (a path or a name in PATH).`,
      );
    }
    if (/\{\{[^{}]*\}\}/.test(options.command)) {
      throw new InvalidInputError(
        'command',
        `CommandAgent ${this.name}: command ${JSON.stringify(options.command)} holds a placeholder, but the program is never filled from the task (a task must not choose what runs). Name the program here and pass the task's data in args, e.g. args: ['--', '{{metadata.path}}'].`,
      );
    }
    if (options.resultFrom !== undefined && options.resultFrom !== 'stdout' && options.resultFrom !== 'none') {
      throw new InvalidInputError(
        'resultFrom',
        `resultFrom must be 'stdout' or 'none', got ${String(options.resultFrom)}.`,
      );
    }
    validateOptionalInteger('timeoutMs', options.timeoutMs, { min: 1 });
    this.command = options.command;
    this.template = ArgvTemplate.compile(options.args ?? []);
    this.killGraceMs = validateOptionalInteger('killGraceMs', options.killGraceMs, { min: 0 }) ?? 2000;
    this.maxOutputBytes = validateOptionalInteger('maxOutputBytes', options.maxOutputBytes, { min: 1 }) ?? 1024 * 1024;
    this.options = { ...options, env: options.env && { ...options.env } };
  }

  async execute(task: Task, ctx: AgentContext): Promise<string | undefined> {
    ctx.signal.throwIfAborted();
    const argv = this.template.render(task, ctx);
    const stdout = await this.run(task, argv, ctx);
    return this.options.resultFrom === 'none' ? undefined : stdout;
  }

  private environment(task: Task, ctx: AgentContext): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...(this.options.inheritEnv === false ? {} : process.env),
      OMC_TASK_ID: task.id,
      OMC_TASK_ATTEMPT: String(ctx.attempt),
      OMC_WORKER_NAME: ctx.workerName,
      ...this.options.env,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    return env;
  }

  private run(task: Task, argv: string[], ctx: AgentContext): Promise<string> {
    const { signal, log } = ctx;
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(this.command, argv, {
          cwd: this.options.cwd,
          env: this.environment(task, ctx),
          detached: true, // its own process group, so one signal reaches everything it starts
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (cause) {
        reject(new CommandFailedError(task.id, this.command, { exitCode: null, signal: null, stderrTail: '', cause }));
        return;
      }

      const stdout = new OutputHead(this.maxOutputBytes);
      const stderr = new OutputTail(STDERR_TAIL_BYTES);
      child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let spawnError: Error | undefined;
      let stopReason: 'timeout' | 'abort' | undefined;
      let stopped: Promise<void> = Promise.resolve();

      const stop = (reason: 'timeout' | 'abort') => {
        if (stopReason !== undefined || exit !== undefined) return;
        stopReason = reason;
        log.warn(
          `${reason === 'timeout' ? 'timed out' : 'aborted'}: stopping ${this.command} (pid ${child.pid}) and its children`,
        );
        stopped = terminateProcessGroup(child, this.killGraceMs);
      };
      const timer =
        this.options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), this.options.timeoutMs);
      const onAbort = () => stop('abort');
      signal.addEventListener('abort', onAbort, { once: true });

      child.on('error', (error) => {
        spawnError ??= error;
      });
      child.on('exit', (code, exitSignal) => {
        exit = { code, signal: exitSignal };
        clearTimeout(timer);
        // The program is done; anything it left running in its group goes too (a background child holding
        // stdout open would otherwise keep the attempt waiting).
        if (stopReason === undefined && processGroupAlive(child)) {
          stopped = terminateProcessGroup(child, this.killGraceMs);
        }
      });
      child.on('close', () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        void stopped.then(() => {
          const stderrTail = stderr.text();
          if (stopReason === 'abort') reject(signal.reason);
          else if (stopReason === 'timeout') {
            reject(new CommandTimeoutError(task.id, this.command, this.options.timeoutMs ?? 0, stderrTail));
          } else if (exit === undefined || spawnError !== undefined) {
            reject(
              new CommandFailedError(task.id, this.command, {
                exitCode: null,
                signal: null,
                stderrTail,
                cause: spawnError,
              }),
            );
          } else if (exit.code !== 0) {
            reject(
              new CommandFailedError(task.id, this.command, { exitCode: exit.code, signal: exit.signal, stderrTail }),
            );
          } else resolve(stdout.text());
        });
      });
    });
  }
}
