import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV2 } from '@ai-sdk/provider';
import { InvalidInputError } from '@omc/core';
import { type ModelPrice, openAIPrice } from './pricing.js';
import {
  SCRIPTED_MODEL_ID,
  ScriptedLanguageModel,
  type ScriptedLanguageModelOptions,
} from './scripted-language-model.js';

/** Where a role agent's model comes from. */
export type ModelProvider = 'scripted' | 'openai' | 'openai-compatible' | 'ollama';

/** `cheapest` picks the provider's cheapest default model (ecomode). */
export type ModelTier = 'default' | 'cheapest';

const PROVIDERS: readonly ModelProvider[] = ['scripted', 'openai', 'openai-compatible', 'ollama'];

/** The models used when none is named, per provider and tier. */
export const DEFAULT_MODELS = Object.freeze({
  openai: Object.freeze({ default: 'gpt-4.1-mini', cheapest: 'gpt-4.1-nano' }),
  // Every local model costs nothing per token; the small default is the one most people have pulled.
  ollama: Object.freeze({ default: 'llama3.2', cheapest: 'llama3.2' }),
});

/** The Ollama server assumed when `ollama` is chosen without a URL. */
export const DEFAULT_OLLAMA_URL = 'http://localhost:11434';

/** What to build a model from; every field is optional for {@link resolveModel}. */
export interface ModelOptions {
  /** Default: chosen from the environment (see {@link resolveModel}). */
  provider?: ModelProvider;
  /** The provider's model id, e.g. `gpt-4.1-mini` or `llama3.2`. */
  model?: string;
  /** The API's base URL (OpenAI-compatible servers, Ollama, an OpenAI proxy). */
  baseURL?: string;
  apiKey?: string;
  /** Which default model when `model` is not given. Default `default`. */
  tier?: ModelTier;
  /** Price for cost accounting, overriding the built-in table (USD per 1M tokens). */
  price?: ModelPrice;
  /** Scripted model only: wait this long per call (see {@link ScriptedLanguageModelOptions}). */
  delayMs?: ScriptedLanguageModelOptions['delayMs'];
}

/** {@link ModelOptions} with the provider decided. */
export interface ModelConfig extends ModelOptions {
  provider: ModelProvider;
}

/** A ready model with what the role agents record about it. */
export interface ResolvedModel {
  /** A {@link ModelProvider} for models from {@link createModel}; the provider's own name for others. */
  readonly provider: ModelProvider | (string & {});
  readonly modelId: string;
  /** `<provider>:<model id>`, written into every result: `openai:gpt-4.1-mini`, `scripted (offline)`. */
  readonly label: string;
  readonly model: LanguageModelV2;
  /** `undefined` when no price is known: cost is then not computed (see `costNote`). */
  readonly price: ModelPrice | undefined;
  /** Why the cost is missing or zero, when it needs saying. */
  readonly costNote: string | undefined;
  /** True for the scripted model: nothing leaves the machine. */
  readonly offline: boolean;
}

/**
 * Build the model a config names. Only `openai`, `openai-compatible` and `ollama` ever reach the network,
 * and only when called; `scripted` never does.
 *
 * ### Examples
 * ```ts
 * const local = createModel({ provider: 'ollama', model: 'llama3.2' });
 * const openai = createModel({ provider: 'openai', apiKey: process.env.OPENAI_API_KEY, tier: 'cheapest' });
 * const offline = createModel({ provider: 'scripted', delayMs: 200 });
 * ```
 */
export function createModel(config: ModelConfig): ResolvedModel {
  if (typeof config !== 'object' || config === null || !PROVIDERS.includes(config.provider)) {
    throw new InvalidInputError(
      'provider',
      `provider must be one of ${PROVIDERS.join(', ')}, got ${String(config?.provider)}.`,
    );
  }
  const tier = config.tier ?? 'default';
  if (tier !== 'default' && tier !== 'cheapest') {
    throw new InvalidInputError('tier', `tier must be 'default' or 'cheapest', got ${String(tier)}.`);
  }
  switch (config.provider) {
    case 'scripted': {
      const model = new ScriptedLanguageModel({ delayMs: config.delayMs });
      return resolved('scripted', SCRIPTED_MODEL_ID, model, { inputPer1M: 0, outputPer1M: 0 }, undefined, true);
    }
    case 'openai': {
      if (!config.apiKey) {
        throw new InvalidInputError(
          'apiKey',
          'The openai provider needs an API key: set OPENAI_API_KEY or pass apiKey.',
        );
      }
      const modelId = config.model ?? DEFAULT_MODELS.openai[tier];
      // Chat Completions rather than the Responses API: the same wire protocol as every compatible server.
      const model = createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL }).chat(modelId);
      const price = config.price ?? openAIPrice(modelId);
      return resolved('openai', modelId, model, price, price ? undefined : unknownPrice('openai', modelId), false);
    }
    case 'openai-compatible': {
      if (!config.baseURL) {
        throw new InvalidInputError(
          'baseURL',
          'The openai-compatible provider needs the server URL: set OMC_BASE_URL or pass baseURL.',
        );
      }
      if (!config.model) {
        throw new InvalidInputError(
          'model',
          `The openai-compatible provider at ${config.baseURL} needs a model id: set OMC_MODEL or pass model.`,
        );
      }
      const model = createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: config.baseURL,
        apiKey: config.apiKey,
      }).chatModel(config.model);
      const note = config.price ? undefined : unknownPrice('openai-compatible', config.model);
      return resolved('openai-compatible', config.model, model, config.price, note, false);
    }
    case 'ollama': {
      const modelId = config.model ?? DEFAULT_MODELS.ollama[tier];
      const model = createOpenAICompatible({
        name: 'ollama',
        baseURL: ollamaApiUrl(config.baseURL ?? DEFAULT_OLLAMA_URL),
        apiKey: config.apiKey,
      }).chatModel(modelId);
      const price = config.price ?? { inputPer1M: 0, outputPer1M: 0 };
      return resolved(
        'ollama',
        modelId,
        model,
        price,
        config.price ? undefined : 'local model: no per-token cost',
        false,
      );
    }
  }
}

/**
 * Decide the model from explicit options, then the environment:
 * - `provider` (or `OMC_PROVIDER`) when given;
 * - else `openai-compatible` when `OMC_BASE_URL` is set (with `OMC_MODEL`, and `OMC_API_KEY` if it needs one);
 * - else `openai` when `OPENAI_API_KEY` is set (`OPENAI_BASE_URL` for a proxy);
 * - else `ollama` when `OLLAMA_BASE_URL` is set (its OpenAI-compatible endpoint, `/v1`);
 * - else `scripted`: offline, labelled `scripted (offline)`.
 *
 * `model` (or `OMC_MODEL`, or `OLLAMA_MODEL` for ollama) overrides the tier's default model.
 * `OPENAI_API_KEY` is only ever sent to the `openai` provider, never to another server.
 *
 * ### Examples
 * ```ts
 * resolveModel().label; // 'scripted (offline)' on a machine with no keys
 * resolveModel({ tier: 'cheapest' }, { OPENAI_API_KEY: 'sk-…' }).label; // 'openai:gpt-4.1-nano'
 * ```
 */
export function resolveModel(options: ModelOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedModel {
  const read = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const provider = options.provider ?? providerFromEnv(read);
  const model = options.model ?? read('OMC_MODEL') ?? (provider === 'ollama' ? read('OLLAMA_MODEL') : undefined);
  switch (provider) {
    case 'openai':
      return createModel({
        ...options,
        provider,
        model,
        apiKey: options.apiKey ?? read('OPENAI_API_KEY'),
        baseURL: options.baseURL ?? read('OPENAI_BASE_URL'),
      });
    case 'openai-compatible':
      return createModel({
        ...options,
        provider,
        model,
        apiKey: options.apiKey ?? read('OMC_API_KEY'),
        baseURL: options.baseURL ?? read('OMC_BASE_URL'),
      });
    case 'ollama':
      return createModel({ ...options, provider, model, baseURL: options.baseURL ?? read('OLLAMA_BASE_URL') });
    default:
      return createModel({ ...options, provider, model });
  }
}

/**
 * Describe a model built elsewhere (any `LanguageModelV2`): label `<provider>:<model id>`, OpenAI list
 * price when its provider is OpenAI and the id is known.
 */
export function describeModel(model: LanguageModelV2, price?: ModelPrice): ResolvedModel {
  if (model instanceof ScriptedLanguageModel) {
    return resolved('scripted', model.modelId, model, price ?? { inputPer1M: 0, outputPer1M: 0 }, undefined, true);
  }
  const known = price ?? (model.provider.startsWith('openai.') ? openAIPrice(model.modelId) : undefined);
  const provider = model.provider.split('.')[0] ?? model.provider;
  return {
    provider,
    modelId: model.modelId,
    label: labelOf(provider, model.modelId),
    model,
    price: known,
    costNote: known ? undefined : unknownPrice(provider, model.modelId),
    offline: false,
  };
}

function providerFromEnv(read: (name: string) => string | undefined): ModelProvider {
  const named = read('OMC_PROVIDER');
  if (named !== undefined) {
    if (!PROVIDERS.includes(named as ModelProvider)) {
      throw new InvalidInputError('OMC_PROVIDER', `OMC_PROVIDER must be one of ${PROVIDERS.join(', ')}, got ${named}.`);
    }
    return named as ModelProvider;
  }
  // omc's own variable first: someone who set OMC_BASE_URL means that server even with an OpenAI key around.
  if (read('OMC_BASE_URL')) return 'openai-compatible';
  if (read('OPENAI_API_KEY')) return 'openai';
  if (read('OLLAMA_BASE_URL')) return 'ollama';
  return 'scripted';
}

/** Ollama serves the OpenAI API under `/v1`; accept the server URL with or without it. */
function ollamaApiUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/v1') ? base : `${base}/v1`;
}

function unknownPrice(provider: string, modelId: string): string {
  return `no price known for ${provider}:${modelId}; cost not computed (pass price to set one)`;
}

function resolved(
  provider: ModelProvider,
  modelId: string,
  model: LanguageModelV2,
  price: ModelPrice | undefined,
  costNote: string | undefined,
  offline: boolean,
): ResolvedModel {
  return Object.freeze({ provider, modelId, label: labelOf(provider, modelId), model, price, costNote, offline });
}

/** `<provider>:<model id>`; the scripted model's id already says what it is. */
function labelOf(provider: string, modelId: string): string {
  return provider === 'scripted' ? modelId : `${provider}:${modelId}`;
}
