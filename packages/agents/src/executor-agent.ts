import { RoleAgent, type RoleAgentOptions, type RoleDefinition } from './role-agent.js';

/** The executor role: name `executor`, capabilities ['code']. */
export const EXECUTOR_ROLE: RoleDefinition = Object.freeze({
  role: 'executor',
  name: 'executor',
  capabilities: Object.freeze(['code']),
  systemPrompt: [
    'You are the executor in a swarm of AI agents that share a persistent task pool.',
    'You receive one task. Do the work it describes, using the results of the tasks it depends on.',
    'Be concrete: give the code, commands or text that accomplishes the task, complete enough to use as is.',
    'End with a short summary: what was done, what was assumed, and anything left open.',
    'Do not ask questions; when something is unclear, state your assumption and proceed.',
  ].join(' '),
});

/**
 * Carries out a task: does the work it describes and reports the outcome. Name `executor`, capabilities ['code'] unless
 * overridden; the model comes from `resolveModel()` unless one is given.
 *
 * ### Examples
 * ```ts
 * const executor = new ExecutorAgent(); // the model from resolveModel(): scripted unless a real one is configured
 * swarm.registerAgent(executor);
 * ```
 */
export class ExecutorAgent extends RoleAgent {
  constructor(options: RoleAgentOptions = {}) {
    super(EXECUTOR_ROLE, options);
  }
}
