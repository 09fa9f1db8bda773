import { readFileSync } from 'node:fs';
import { InvalidInputError, type TokenUsage } from '@omc/core';
import { describeValue } from './agent-options.js';

/** US dollars per one million tokens. */
export interface ModelPrice {
  inputPer1M: number;
  outputPer1M: number;
}

/**
 * Your prices, by model: a key is `<provider>:<model id>` (`openai:gpt-4.1-mini`,
 * `openai-compatible:qwen2.5-72b`) or a bare model id, which matches under any provider. A dated snapshot
 * (`gpt-4.1-mini-2025-04-14`) falls back to its base id. Entries win over the built-in table.
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Where a model's price came from: `given` (the `price` option, a `prices` table or `OMC_PRICES`),
 * `built-in` ({@link OPENAI_PRICES}), `local` (a model on this machine: no per-token cost).
 * `undefined` on a model means no price is known and cost is not computed.
 */
export type PriceSource = 'given' | 'built-in' | 'local';

/** Where {@link OPENAI_PRICES} come from and when they were taken; shown wherever a cost uses them. */
export const BUILT_IN_PRICES_SOURCE = "OpenAI's list prices (standard tier), recorded in 2025 and not re-checked since";

/**
 * The built-in price table: list prices of the OpenAI models omc defaults to or is commonly pointed at,
 * USD per 1M tokens, standard tier (no batch or cached-input discounts). Source: OpenAI's published
 * pricing page, as recorded in 2025; omc cannot re-check it, so it goes stale. Prices change: give your own
 * with a role agent's `model: { prices }` (or `price`), or the `OMC_PRICES` environment variable.
 */
export const OPENAI_PRICES: PriceTable = Object.freeze({
  'gpt-4.1': { inputPer1M: 2.0, outputPer1M: 8.0 },
  'gpt-4.1-mini': { inputPer1M: 0.4, outputPer1M: 1.6 },
  'gpt-4.1-nano': { inputPer1M: 0.1, outputPer1M: 0.4 },
  'gpt-4o': { inputPer1M: 2.5, outputPer1M: 10.0 },
  'gpt-4o-mini': { inputPer1M: 0.15, outputPer1M: 0.6 },
  'gpt-5': { inputPer1M: 1.25, outputPer1M: 10.0 },
  'gpt-5-mini': { inputPer1M: 0.25, outputPer1M: 2.0 },
  'gpt-5-nano': { inputPer1M: 0.05, outputPer1M: 0.4 },
});

const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

/** The built-in price of an OpenAI model id (a dated snapshot such as `gpt-4.1-mini-2025-04-14` counts as its base). */
export function openAIPrice(modelId: string): ModelPrice | undefined {
  return OPENAI_PRICES[modelId] ?? OPENAI_PRICES[modelId.replace(DATED_SNAPSHOT, '')];
}

/**
 * The price `prices` gives a model: `<provider>:<model id>` first, then the bare model id, each also
 * without a date suffix.
 *
 * ### Examples
 * ```ts
 * const prices = { 'openai-compatible:qwen2.5': { inputPer1M: 0.2, outputPer1M: 0.6 } };
 * findPrice(prices, 'openai-compatible', 'qwen2.5'); // { inputPer1M: 0.2, outputPer1M: 0.6 }
 * ```
 */
export function findPrice(prices: PriceTable | undefined, provider: string, modelId: string): ModelPrice | undefined {
  if (!prices) return undefined;
  const base = modelId.replace(DATED_SNAPSHOT, '');
  for (const key of [`${provider}:${modelId}`, `${provider}:${base}`, modelId, base]) {
    if (Object.hasOwn(prices, key)) return prices[key];
  }
  return undefined;
}

/**
 * Check a price table (e.g. parsed JSON) and return it frozen. `from` names where it came from, for the
 * error. Throws `InvalidInputError` (field `prices`) naming the bad entry.
 *
 * ### Examples
 * ```ts
 * parsePrices(JSON.parse('{"openai:gpt-4.1-mini": {"inputPer1M": 0.4, "outputPer1M": 1.6}}'), 'my prices');
 * ```
 */
export function parsePrices(value: unknown, from: string): PriceTable {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw pricesError(from, `must be a JSON object of model → price, got ${describeValue(value)}`);
  }
  const table: Record<string, ModelPrice> = {};
  for (const [key, entry] of Object.entries(value)) {
    const { inputPer1M, outputPer1M } = (entry ?? {}) as Partial<ModelPrice>;
    if (!isPrice(inputPer1M) || !isPrice(outputPer1M)) {
      throw pricesError(from, `entry "${key}" needs inputPer1M and outputPer1M, numbers ≥ 0 (USD per 1M tokens)`);
    }
    table[key] = Object.freeze({ inputPer1M, outputPer1M });
  }
  return Object.freeze(table);
}

/**
 * Read a price table from a JSON file (see {@link PriceTable} for the keys).
 *
 * ### Examples
 * ```ts
 * // prices.json: {"openai:gpt-4.1-mini": {"inputPer1M": 0.4, "outputPer1M": 1.6}}
 * new ExecutorAgent({ model: { provider: 'openai', prices: readPrices('./prices.json') } });
 * ```
 */
export function readPrices(file: string): PriceTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw pricesError(file, `cannot be read (${(error as Error).message})`, error);
  }
  return parsePrices(parseJson(text, file), file);
}

/**
 * The price table `OMC_PRICES` names: a path to a JSON file, or the JSON itself (starting with `{`).
 * `undefined` when it is not set.
 *
 * ### Examples
 * ```ts
 * // OMC_PRICES=./prices.json   or   OMC_PRICES='{"my-model": {"inputPer1M": 1, "outputPer1M": 2}}'
 * const prices = pricesFromEnv();
 * ```
 */
export function pricesFromEnv(env: NodeJS.ProcessEnv = process.env): PriceTable | undefined {
  const value = env.OMC_PRICES?.trim();
  if (!value) return undefined;
  return value.startsWith('{') ? parsePrices(parseJson(value, 'OMC_PRICES'), 'OMC_PRICES') : readPrices(value);
}

/**
 * A model's price, where it came from, and the note a result carries when the cost is missing or zero.
 * @internal
 */
export function choosePrice(
  provider: string,
  modelId: string,
  options: { price?: ModelPrice | undefined; prices?: PriceTable | undefined },
): { price: ModelPrice | undefined; priceSource: PriceSource | undefined; costNote: string | undefined } {
  const given = options.price ?? findPrice(options.prices, provider, modelId);
  if (given) return { price: given, priceSource: 'given', costNote: undefined };
  if (provider === 'scripted') return { price: FREE, priceSource: 'local', costNote: undefined };
  if (provider === 'ollama') return { price: FREE, priceSource: 'local', costNote: 'local model: no per-token cost' };
  const builtIn = provider === 'openai' ? openAIPrice(modelId) : undefined;
  if (builtIn) return { price: builtIn, priceSource: 'built-in', costNote: undefined };
  return {
    price: undefined,
    priceSource: undefined,
    costNote: `no price known for ${provider}:${modelId}; cost not computed (pass price or prices, or set OMC_PRICES)`,
  };
}

const FREE: ModelPrice = Object.freeze({ inputPer1M: 0, outputPer1M: 0 });

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

const isPrice = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

function parseJson(text: string, from: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw pricesError(from, `is not valid JSON (${(error as Error).message})`, error);
  }
}

function pricesError(from: string, problem: string, cause?: unknown): InvalidInputError {
  return new InvalidInputError(
    'prices',
    `Prices from ${from} ${problem}. Expected e.g. {"openai:gpt-4.1-mini": {"inputPer1M": 0.4, "outputPer1M": 1.6}}.`,
    cause === undefined ? undefined : { cause },
  );
}
