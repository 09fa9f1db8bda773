import type { TokenUsage } from '@omc/core';

/** What a role agent stores as a task's result (as JSON), and what {@link parseAgentResult} reads back. */
export interface AgentResult {
  /** The model's answer. */
  content: string;
  /** `<provider>:<model id>`, e.g. `openai:gpt-4.1-mini` or `scripted (offline)`. */
  model?: string;
  usage?: TokenUsage;
  /** In US dollars; `undefined` when no price is known for the model (see `costNote`). */
  costUsd?: number;
  /** Why `costUsd` is missing or zero, when it needs saying. */
  costNote?: string;
}

/**
 * The JSON a role agent writes as the task's result: `{"content", "model", "usage", "costUsd"}`, with
 * `costUsd: null` and a `costNote` when the price is unknown.
 *
 * ### Examples
 * ```ts
 * formatAgentResult({ content: 'done', model: 'openai:gpt-4.1-mini',
 *   usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 }, costUsd: 0.0000072 });
 * ```
 */
export function formatAgentResult(result: AgentResult): string {
  return JSON.stringify({
    content: result.content,
    model: result.model,
    usage: result.usage,
    costUsd: result.costUsd ?? null,
    ...(result.costNote === undefined ? {} : { costNote: result.costNote }),
  });
}

/**
 * Read a task's result back: a role agent's JSON gives its content, model, usage and cost; any other
 * string (a command's stdout, a function's return) is the content itself; no result is empty content.
 *
 * ### Examples
 * ```ts
 * const { content, model, usage, costUsd } = parseAgentResult(task.result);
 * console.log(model ?? '-', usage?.totalTokens ?? 0, costUsd ?? 0, content.slice(0, 60));
 * ```
 */
export function parseAgentResult(result?: string): AgentResult {
  if (result === undefined) return { content: '' };
  if (!result.startsWith('{')) return { content: result };
  let parsed: unknown;
  try {
    parsed = JSON.parse(result);
  } catch {
    return { content: result };
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as AgentResult).content !== 'string') {
    return { content: result };
  }
  const record = parsed as Record<string, unknown>;
  const out: AgentResult = { content: record.content as string };
  if (typeof record.model === 'string') out.model = record.model;
  const usage = readUsage(record.usage);
  if (usage) out.usage = usage;
  if (typeof record.costUsd === 'number') out.costUsd = record.costUsd;
  if (typeof record.costNote === 'string') out.costNote = record.costNote;
  return out;
}

function readUsage(value: unknown): TokenUsage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { inputTokens, outputTokens, totalTokens } = value as Record<string, unknown>;
  if (typeof inputTokens !== 'number' || typeof outputTokens !== 'number') return undefined;
  return {
    inputTokens,
    outputTokens,
    totalTokens: typeof totalTokens === 'number' ? totalTokens : inputTokens + outputTokens,
  };
}
