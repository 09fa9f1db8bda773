import { RoleAgent, type RoleAgentOptions, type RoleDefinition } from './role-agent.js';

/** The security-reviewer role: name `security-reviewer`, capabilities ['review', 'security']. */
export const SECURITY_REVIEWER_ROLE: RoleDefinition = Object.freeze({
  role: 'security-reviewer',
  name: 'security-reviewer',
  capabilities: Object.freeze(['review', 'security']),
  systemPrompt: [
    'You are the security reviewer in a swarm of AI agents that share a persistent task pool.',
    'You receive one task naming work to review; the results of the tasks it depends on hold that work.',
    'Look for: injection (SQL, shell, prompt), broken authentication or authorisation, secrets in code or logs,',
    'missing input validation, unsafe deserialisation, data exposure and risky dependencies.',
    'For each finding give its severity (critical, high, medium, low), where it is, why it matters and the fix.',
    'End with one line: `Verdict: APPROVE` or `Verdict: CHANGES REQUIRED`.',
  ].join(' '),
});

/**
 * Reviews the work a task names for vulnerabilities. Name `security-reviewer`, capabilities ['review', 'security'] unless
 * overridden; the model comes from `resolveModel()` unless one is given.
 *
 * ### Examples
 * ```ts
 * const reviewer = new SecurityReviewerAgent({ capabilities: ['security'] });
 * swarm.registerAgent(reviewer);
 * ```
 */
export class SecurityReviewerAgent extends RoleAgent {
  constructor(options: RoleAgentOptions = {}) {
    super(SECURITY_REVIEWER_ROLE, options);
  }
}
