import type { TokenUsage } from '@omc/core';
import type { ModelFinishReason } from './language-model.js';

/**
 * One request of a role agent to a model, before a specification's adapter shapes it: a system prompt
 * and one user message of text.
 * @internal
 */
export interface ModelRequest {
  system: string;
  prompt: string;
  abortSignal: AbortSignal;
  maxOutputTokens: number | undefined;
  temperature: number | undefined;
  /** Per provider name; each provider reads only its own. */
  providerOptions: Record<string, Record<string, string>>;
}

/** What a role agent keeps of a model's answer. @internal */
export interface ModelAnswer {
  text: string;
  usage: TokenUsage;
  finishReason: ModelFinishReason;
}

/**
 * The answer's text: its text parts joined, as the AI SDK's `generateText` joins them (reasoning, tool
 * calls and files are not text).
 * @internal
 */
export function joinText(content: readonly { type: string }[]): string {
  return content
    .filter((part): part is { type: 'text'; text: string } => part.type === 'text')
    .map((part) => part.text)
    .join('');
}

/** Token counts with a missing count as 0; the total is the provider's when it reports one. @internal */
export function tokenUsage(input: number | undefined, output: number | undefined, total?: number): TokenUsage {
  const inputTokens = input ?? 0;
  const outputTokens = output ?? 0;
  return { inputTokens, outputTokens, totalTokens: total ?? inputTokens + outputTokens };
}
