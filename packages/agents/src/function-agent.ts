import { type Agent, type AgentContext, type AgentOutput, InvalidInputError, type Task } from '@omc/core';
import { checkIdentity } from './agent-options.js';

/** What a {@link FunctionAgent} wraps. */
export interface FunctionAgentOptions {
  /** The agent kind's name; the swarm names workers `<name>-<n>`. */
  name: string;
  /** What it can do (e.g. `['code']`). Default: none. */
  capabilities?: readonly string[];
  /**
   * Does one task. Return (or resolve to) the result string, `undefined`, or `{ result, usage, costUsd }`;
   * throw to fail the attempt. Pass `ctx.signal` to whatever it awaits.
   */
  run: (task: Task, ctx: AgentContext) => Promise<AgentOutput> | AgentOutput;
}

/**
 * An agent made from a function: the quickest way to put your own code in a swarm.
 *
 * ### Examples
 * ```ts
 * const upper = new FunctionAgent({
 *   name: 'upper',
 *   capabilities: ['text'],
 *   run: (task) => task.description.toUpperCase(),
 * });
 * swarm.registerAgent(upper);
 * ```
 */
export class FunctionAgent implements Agent {
  readonly name: string;
  readonly capabilities: readonly string[];
  private readonly run: FunctionAgentOptions['run'];

  constructor(options: FunctionAgentOptions) {
    if (typeof options !== 'object' || options === null || typeof options.run !== 'function') {
      throw new InvalidInputError('run', 'FunctionAgent needs { name, run: (task, ctx) => result }.');
    }
    ({ name: this.name, capabilities: this.capabilities } = checkIdentity(
      'FunctionAgent',
      options.name,
      options.capabilities,
    ));
    this.run = options.run;
  }

  async execute(task: Task, ctx: AgentContext): Promise<AgentOutput> {
    ctx.signal.throwIfAborted();
    return await this.run(task, ctx);
  }
}
