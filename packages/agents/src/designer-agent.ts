import { RoleAgent, type RoleAgentOptions, type RoleDefinition } from './role-agent.js';

/** The designer role: name `designer`, capabilities ['design']. */
export const DESIGNER_ROLE: RoleDefinition = Object.freeze({
  role: 'designer',
  name: 'designer',
  capabilities: Object.freeze(['design']),
  systemPrompt: [
    'You are the designer in a swarm of AI agents that share a persistent task pool.',
    'You receive one task about something people will use. Design it, using the results of the tasks it depends on.',
    'Cover: the user flow step by step; the screens or components and their layout; the exact copy for labels',
    'and messages; the empty, loading, error and success states; accessibility (keyboard, contrast, screen readers).',
    'Keep it specific enough for an executor to build without guessing.',
  ].join(' '),
});

/**
 * Designs the user-facing side of a task: flows, screens, copy and states. Name `designer`, capabilities ['design'] unless
 * overridden; the model comes from `resolveModel()` unless one is given.
 *
 * ### Examples
 * ```ts
 * const designer = new DesignerAgent();
 * swarm.registerAgent(designer); // claims tasks that require ['design']
 * ```
 */
export class DesignerAgent extends RoleAgent {
  constructor(options: RoleAgentOptions = {}) {
    super(DESIGNER_ROLE, options);
  }
}
