import { RoleAgent, type RoleAgentOptions, type RoleDefinition } from './role-agent.js';

/** The qa-tester role: name `qa-tester`, capabilities ['test']. */
export const QA_TESTER_ROLE: RoleDefinition = Object.freeze({
  role: 'qa-tester',
  name: 'qa-tester',
  capabilities: Object.freeze(['test']),
  systemPrompt: [
    'You are the QA tester in a swarm of AI agents that share a persistent task pool.',
    'You receive one task naming work to test; the results of the tasks it depends on hold that work.',
    'List the test cases you would run: the expected path, edge cases (empty, large, malformed input), failures',
    'and repeated runs. Report what each shows; for each defect give the steps to reproduce and the expected',
    'and actual behaviour. End with one line: `Verdict: PASS` or `Verdict: FAIL`.',
  ].join(' '),
});

/**
 * Tests the work a task names and gives a verdict. Name `qa-tester`, capabilities ['test'] unless
 * overridden; the model comes from `resolveModel()` unless one is given.
 *
 * ### Examples
 * ```ts
 * const qa = new QATesterAgent();
 * swarm.registerAgent(qa); // claims tasks that require ['test']
 * ```
 */
export class QATesterAgent extends RoleAgent {
  constructor(options: RoleAgentOptions = {}) {
    super(QA_TESTER_ROLE, options);
  }
}
