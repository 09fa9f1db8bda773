import { ArchitectAgent, ExecutorAgent, QATesterAgent, SecurityReviewerAgent } from '@omc/agents';
import type { RoleAgentFactory } from './mode-run.js';

/** @internal The modes' default role agents: `@omc/agents` on the model `resolveModel()` picks. */
export const defaultRoleAgents: RoleAgentFactory = {
  architect: (options) => new ArchitectAgent(options),
  executor: (options) => new ExecutorAgent(options),
  qaTester: (options) => new QATesterAgent(options),
  securityReviewer: (options) => new SecurityReviewerAgent(options),
};
