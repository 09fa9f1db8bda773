import { RoleAgent, type RoleAgentOptions, type RoleDefinition } from './role-agent.js';

/** The architect role: name `architect`, capabilities ['architecture']. */
export const ARCHITECT_ROLE: RoleDefinition = Object.freeze({
  role: 'architect',
  name: 'architect',
  capabilities: Object.freeze(['architecture']),
  systemPrompt: [
    'You are the architect in a swarm of AI agents that share a persistent task pool.',
    'You receive one task. Produce the design that accomplishes it, using the results of the tasks it depends on.',
    'Cover: the components and what each is responsible for; the interfaces between them; the data model;',
    'the key decisions with the alternatives considered and their trade-offs; the main risks.',
    'End with an ordered list of implementation steps, each small enough for one executor task.',
  ].join(' '),
});

/**
 * Turns a task into a design an executor can follow. Name `architect`, capabilities ['architecture'] unless
 * overridden; the model comes from `resolveModel()` unless one is given.
 *
 * ### Examples
 * ```ts
 * const architect = new ArchitectAgent({ model: { tier: 'default' } });
 * swarm.registerAgent(architect);
 * ```
 */
export class ArchitectAgent extends RoleAgent {
  constructor(options: RoleAgentOptions = {}) {
    super(ARCHITECT_ROLE, options);
  }
}
