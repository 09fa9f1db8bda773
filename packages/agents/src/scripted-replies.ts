/** What the scripted model saw in one call. */
export interface ScriptedCall {
  /** The role agent that called (`executor`, `architect`, `qa-tester`, `security-reviewer`, `designer`), if any. */
  role: string | undefined;
  /** The task title: read from a role agent's prompt by its structure, else the prompt's `Task:` line or first line. */
  title: string;
  /** How many dependency results the prompt carried. */
  dependencies: number;
  /** The system prompt and the user text, as the model got them. */
  system: string;
  prompt: string;
}

const NOTE = 'No real model was called: set OPENAI_API_KEY, OMC_BASE_URL or OLLAMA_BASE_URL for real answers.';

/**
 * The canned, deterministic reply for a call: shaped like what the role would write, naming the task, and
 * saying plainly that it is scripted.
 * @internal
 */
export function scriptedReply(call: ScriptedCall): string {
  const t = `"${call.title}"`;
  const inputs =
    call.dependencies === 0
      ? ''
      : ` Built on ${call.dependencies} earlier result${call.dependencies === 1 ? '' : 's'}.`;
  const body = (() => {
    switch (call.role) {
      case 'executor':
        return [
          `Implemented ${t}.${inputs}`,
          'Steps: 1) read the task and its inputs; 2) made the smallest change that does it; 3) checked the outcome.',
          `Outcome: ${call.title} is done.`,
        ];
      case 'architect':
        return [
          `Design for ${t}.${inputs}`,
          'Components: an interface at the edge, a core that holds the rules, an adapter for storage.',
          'Decisions: keep the core free of I/O; make each step idempotent; record why in the change.',
        ];
      case 'qa-tester':
        return [
          `Test plan for ${t}.${inputs}`,
          'Cases: the expected path; empty and oversized input; a failure halfway; running it twice.',
          'Verdict: PASS (scripted): no defect was looked for by a real model.',
        ];
      case 'security-reviewer':
        return [
          `Security review of ${t}.${inputs}`,
          'Checked: input validation, injection (SQL, shell, prompt), secrets in logs, authorisation on every path.',
          'Findings: none recorded (scripted): a real review needs a real model.',
        ];
      case 'designer':
        return [
          `Design notes for ${t}.${inputs}`,
          'Layout: the primary action first, one idea per screen, status visible at a glance.',
          'States: empty, loading, error and done each get a clear message.',
        ];
      default:
        return [`Answer for ${t}.${inputs}`, `Done: ${call.title}.`];
    }
  })();
  return [`[scripted (offline)${call.role ? ` ${call.role}` : ''}]`, ...body, NOTE].join('\n');
}
