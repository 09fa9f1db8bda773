import type { TokenUsage } from '@omc/core';

/** US dollars per one million tokens. */
export interface ModelPrice {
  inputPer1M: number;
  outputPer1M: number;
}

/**
 * List prices of the OpenAI models omc defaults to or is commonly pointed at (standard tier, no batch or
 * cache discounts), USD per 1M tokens, as published in 2025. Pass `price` to a role agent to override.
 */
export const OPENAI_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-4.1': { inputPer1M: 2.0, outputPer1M: 8.0 },
  'gpt-4.1-mini': { inputPer1M: 0.4, outputPer1M: 1.6 },
  'gpt-4.1-nano': { inputPer1M: 0.1, outputPer1M: 0.4 },
  'gpt-4o': { inputPer1M: 2.5, outputPer1M: 10.0 },
  'gpt-4o-mini': { inputPer1M: 0.15, outputPer1M: 0.6 },
  'gpt-5': { inputPer1M: 1.25, outputPer1M: 10.0 },
  'gpt-5-mini': { inputPer1M: 0.25, outputPer1M: 2.0 },
  'gpt-5-nano': { inputPer1M: 0.05, outputPer1M: 0.4 },
});

/** The price of an OpenAI model id (a dated snapshot such as `gpt-4.1-mini-2025-04-14` counts as its base). */
export function openAIPrice(modelId: string): ModelPrice | undefined {
  return OPENAI_PRICES[modelId] ?? OPENAI_PRICES[modelId.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
}

/**
 * What `usage` costs at `price`, in USD.
 *
 * ### Examples
 * ```ts
 * costOf({ inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 }, { inputPer1M: 0.4, outputPer1M: 1.6 }); // 0.4
 * ```
 */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  return (usage.inputTokens * price.inputPer1M + usage.outputTokens * price.outputPer1M) / 1_000_000;
}
