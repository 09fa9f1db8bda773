import { OmcError } from '@omc/core';
import { SUPPORTED_MODEL_SPECIFICATIONS } from './language-model.js';

/** How a command failed: a non-zero exit, a signal it did not get from us, no start, or its timeout. */
export type CommandFailure = 'exit' | 'signal' | 'spawn' | 'timeout';

/**
 * A `CommandAgent`'s program failed the attempt (code `OMC_COMMAND_FAILED`): it exited with a non-zero
 * code, was killed by a signal, could not be started, or ran past its timeout ({@link CommandTimeoutError}).
 * The message names the task and the program and ends with the tail of its stderr.
 *
 * ### Examples
 * ```ts
 * try { await agent.execute(task, ctx); }
 * catch (e) { if (CommandFailedError.isInstance(e)) console.error(e.failure, e.exitCode, e.stderrTail); }
 * ```
 */
export class CommandFailedError extends OmcError {
  readonly failure: CommandFailure;
  /** The program that ran. */
  readonly command: string;
  /** Its exit code; `null` when it was killed by a signal or never started. */
  readonly exitCode: number | null;
  /** The signal that ended it, if one did. */
  readonly signal: NodeJS.Signals | null;
  /** The last bytes of its stderr (about 2 KB), possibly empty. */
  readonly stderrTail: string;

  constructor(
    taskId: string,
    command: string,
    outcome: {
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      stderrTail: string;
      cause?: unknown;
      /** Replaces the generated "how it ended" sentence (subclasses). */
      summary?: string;
      failure?: CommandFailure;
    },
  ) {
    const failure: CommandFailure =
      outcome.failure ?? (outcome.cause !== undefined ? 'spawn' : outcome.signal !== null ? 'signal' : 'exit');
    const summary =
      outcome.summary ??
      (failure === 'spawn'
        ? `could not be started (${outcome.cause instanceof Error ? outcome.cause.message : String(outcome.cause)}). Check the program name, PATH and cwd.`
        : failure === 'signal'
          ? `was killed by ${outcome.signal}.`
          : `exited with code ${outcome.exitCode}.`);
    super('OMC_COMMAND_FAILED', `Task ${taskId}: command ${command} ${summary}${stderrSuffix(outcome.stderrTail)}`, {
      taskId,
      cause: outcome.cause,
    });
    this.failure = failure;
    this.command = command;
    this.exitCode = outcome.exitCode;
    this.signal = outcome.signal;
    this.stderrTail = outcome.stderrTail;
  }

  static override isInstance(error: unknown): error is CommandFailedError {
    return OmcError.isInstance(error) && error.code === 'OMC_COMMAND_FAILED';
  }
}

/**
 * A `CommandAgent`'s program ran past its `timeoutMs` and was killed with everything it started. A
 * {@link CommandFailedError} whose `failure` is `timeout`.
 *
 * ### Examples
 * ```ts
 * catch (e) { if (CommandTimeoutError.isInstance(e)) console.error(`gave up after ${e.timeoutMs} ms`); }
 * ```
 */
export class CommandTimeoutError extends CommandFailedError {
  readonly timeoutMs: number;

  constructor(taskId: string, command: string, timeoutMs: number, stderrTail: string) {
    super(taskId, command, {
      exitCode: null,
      signal: null,
      stderrTail,
      failure: 'timeout',
      summary: `did not finish within ${timeoutMs} ms; it was killed with its child processes. Raise timeoutMs if it needs longer.`,
    });
    this.timeoutMs = timeoutMs;
  }

  static override isInstance(error: unknown): error is CommandTimeoutError {
    return CommandFailedError.isInstance(error) && error.failure === 'timeout';
  }
}

/**
 * A `CommandAgent` refused to run a task (code `OMC_UNSAFE_ARGUMENT`): a placeholder that starts an argv
 * element rendered text beginning with `-` where the program still reads options, so the task's text would
 * have become an option (`--require=evil.js`, `--output=/etc/passwd`). Nothing was started. The fix is in
 * the agent's `args`: put a literal `--` element before the placeholder, or join the placeholder to an
 * option (`--title={{task.title}}`) so the text can only be that option's value.
 *
 * ### Examples
 * ```ts
 * catch (e) { if (UnsafeArgumentError.isInstance(e)) console.error(e.taskId, e.argumentIndex, e.placeholder); }
 * ```
 */
export class UnsafeArgumentError extends OmcError {
  /** The argv element (index into the agent's `args`) that was refused. */
  readonly argumentIndex: number;
  /** The field in the agent's options, e.g. `args[2]`. */
  readonly field: string;
  /** The placeholder that starts the element, e.g. `{{task.title}}`. */
  readonly placeholder: string;

  constructor(taskId: string, argumentIndex: number, placeholder: string, rendered: string) {
    const field = `args[${argumentIndex}]`;
    const shown = JSON.stringify(rendered.length > 40 ? `${rendered.slice(0, 40)}…` : rendered);
    super(
      'OMC_UNSAFE_ARGUMENT',
      `Task ${taskId}: argument ${argumentIndex} (${placeholder}) would be ${shown}, which starts with "-", so the program could read the task's text as an option; nothing was run. In the agent's args, put a "--" element before it (if the program takes one) or join it to an option, as in --title=${placeholder}; or remove the leading "-" from the task's text.`,
      { taskId },
    );
    this.argumentIndex = argumentIndex;
    this.field = field;
    this.placeholder = placeholder;
  }

  static override isInstance(error: unknown): error is UnsafeArgumentError {
    return OmcError.isInstance(error) && error.code === 'OMC_UNSAFE_ARGUMENT';
  }
}

/**
 * A role agent's model call failed (network, authentication, rate limit, bad response); code `OMC_MODEL`.
 * `cause` holds the provider library's error; the message names the task (when the call had one) and
 * the model.
 *
 * ### Examples
 * ```ts
 * catch (e) { if (ModelCallError.isInstance(e)) console.error(e.model, e.cause); }
 * ```
 */
export class ModelCallError extends OmcError {
  /** The model's label, e.g. `openai:gpt-4.1-mini`. */
  readonly model: string;

  constructor(taskId: string | undefined, model: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      'OMC_MODEL',
      onTask(
        taskId,
        `the call to model ${model} failed: ${detail}. Check the provider settings (API key, base URL, model id) or retry later.`,
      ),
      { taskId, cause },
    );
    this.model = model;
  }

  static override isInstance(error: unknown): error is ModelCallError {
    return OmcError.isInstance(error) && error.code === 'OMC_MODEL';
  }
}

/**
 * A model request got no answer within the role agent's `timeoutMs` (code `OMC_MODEL_TIMEOUT`). The
 * request was aborted and not retried inside the attempt; in a swarm the attempt fails and the pool
 * retries the task like after any failure.
 *
 * ### Examples
 * ```ts
 * catch (e) { if (ModelTimeoutError.isInstance(e)) console.error(`${e.model}: no answer in ${e.timeoutMs} ms`); }
 * ```
 */
export class ModelTimeoutError extends OmcError {
  /** The model's label, e.g. `openai:gpt-4.1-mini`. */
  readonly model: string;
  readonly timeoutMs: number;

  constructor(taskId: string | undefined, model: string, timeoutMs: number) {
    super(
      'OMC_MODEL_TIMEOUT',
      onTask(
        taskId,
        `model ${model} did not answer within ${timeoutMs} ms, so the request was aborted. Raise the agent's timeoutMs if the model needs longer, or check that its server is up and answering.`,
      ),
      { taskId },
    );
    this.model = model;
    this.timeoutMs = timeoutMs;
  }

  static override isInstance(error: unknown): error is ModelTimeoutError {
    return OmcError.isInstance(error) && error.code === 'OMC_MODEL_TIMEOUT';
  }
}

/**
 * A role agent was given a model it cannot drive (code `OMC_MODEL_UNSUPPORTED`): an object of another
 * `specificationVersion` than {@link SUPPORTED_MODEL_SPECIFICATIONS}, model options with a key it does not
 * know, or something that is neither. Nothing falls back to the offline model.
 *
 * ### Examples
 * ```ts
 * catch (e) { if (ModelUnsupportedError.isInstance(e)) console.error(e.specificationVersion, e.message); }
 * ```
 */
export class ModelUnsupportedError extends OmcError {
  /** The model object's `specificationVersion`, when it had one. */
  readonly specificationVersion: string | undefined;

  constructor(problem: string, specificationVersion?: string) {
    super(
      'OMC_MODEL_UNSUPPORTED',
      `${problem} A role agent's model is model options (ModelOptions), a model from createModel() or resolveModel(), or an AI SDK language model of a supported specification: ${SUPPORTED_MODEL_SPECIFICATIONS}.`,
    );
    this.specificationVersion = specificationVersion;
  }

  static override isInstance(error: unknown): error is ModelUnsupportedError {
    return OmcError.isInstance(error) && error.code === 'OMC_MODEL_UNSUPPORTED';
  }
}

/**
 * The provider a model configuration names needs a package that is not installed (code
 * `OMC_PROVIDER_NOT_INSTALLED`); the message says what to install.
 *
 * ### Examples
 * ```ts
 * catch (e) { if (ProviderNotInstalledError.isInstance(e)) console.error(`install ${e.packageName}`); }
 * ```
 */
export class ProviderNotInstalledError extends OmcError {
  /** The package to install, e.g. `@ai-sdk/openai`. */
  readonly packageName: string;
  /** The provider that needs it, e.g. `openai`. */
  readonly provider: string;

  constructor(provider: string, packageName: string, cause: unknown) {
    super(
      'OMC_PROVIDER_NOT_INSTALLED',
      `The ${provider} provider needs the package ${packageName}, which is not installed. Install it next to @omc/agents: pnpm add ${packageName} (or npm install ${packageName}).`,
      { cause },
    );
    this.packageName = packageName;
    this.provider = provider;
  }

  static override isInstance(error: unknown): error is ProviderNotInstalledError {
    return OmcError.isInstance(error) && error.code === 'OMC_PROVIDER_NOT_INSTALLED';
  }
}

/** `Task <id>: <sentence>`, or the sentence alone when the call had no task. */
function onTask(taskId: string | undefined, sentence: string): string {
  return taskId === undefined ? sentence.charAt(0).toUpperCase() + sentence.slice(1) : `Task ${taskId}: ${sentence}`;
}

function stderrSuffix(tail: string): string {
  const trimmed = tail.trim();
  return trimmed === '' ? ' It wrote nothing to stderr.' : `\nstderr (last part):\n${trimmed}`;
}
