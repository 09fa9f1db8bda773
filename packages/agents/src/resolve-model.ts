import { InvalidInputError } from '@omc/core';
import { describeValue } from './agent-options.js';
import { ModelUnsupportedError } from './errors.js';
import {
  isSupportedModel,
  looksLikeModel,
  SPECIFICATION_VERSIONS,
  type SupportedLanguageModel,
} from './language-model.js';
import { loadProvider } from './load-provider.js';
import { choosePrice, type ModelPrice, type PriceSource, type PriceTable, pricesFromEnv } from './pricing.js';
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
  /**
   * Your price table (see `PriceTable`), consulted before the built-in one. {@link resolveModel} reads
   * `OMC_PRICES` (a JSON file path, or the JSON) when this is not given.
   */
  prices?: PriceTable;
  /** Scripted model only: wait this long per call (see {@link ScriptedLanguageModelOptions}). */
  delayMs?: ScriptedLanguageModelOptions['delayMs'];
}

// Every key of ModelOptions, and only those: the type makes adding an option without listing it here fail.
const OPTION_KEYS: Record<keyof ModelOptions, true> = {
  provider: true,
  model: true,
  baseURL: true,
  apiKey: true,
  tier: true,
  price: true,
  prices: true,
  delayMs: true,
};
const MODEL_OPTION_KEYS: readonly string[] = Object.keys(OPTION_KEYS);

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
  readonly model: SupportedLanguageModel;
  /** `undefined` when no price is known: cost is then not computed (see `costNote`). */
  readonly price: ModelPrice | undefined;
  /** Where `price` came from (`built-in`: `OPENAI_PRICES`, see `BUILT_IN_PRICES_SOURCE`); `undefined` with no price. */
  readonly priceSource: PriceSource | undefined;
  /** Why the cost is missing or zero, when it needs saying. */
  readonly costNote: string | undefined;
  /** True for the scripted model: nothing leaves the machine. */
  readonly offline: boolean;
}

/**
 * Build the model a config names. Only `openai`, `openai-compatible` and `ollama` ever reach the network,
 * and only when called; `scripted` never does. The provider package (`@ai-sdk/openai` for `openai`,
 * `@ai-sdk/openai-compatible` for the others) is loaded here, when chosen: a missing one throws
 * `ProviderNotInstalledError`. A key that {@link ModelOptions} lacks throws `ModelUnsupportedError`.
 *
 * ### Examples
 * ```ts
 * const local = createModel({ provider: 'ollama', model: 'llama3.2' });
 * const openai = createModel({ provider: 'openai', apiKey: process.env.OPENAI_API_KEY, tier: 'cheapest' });
 * const offline = createModel({ provider: 'scripted', delayMs: 200 });
 * ```
 */
export function createModel(config: ModelConfig): ResolvedModel {
  checkOptionKeys(config);
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
      return resolved('scripted', SCRIPTED_MODEL_ID, model, config, true);
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
      const { createOpenAI } = loadProvider<OpenAIPackage>('openai', '@ai-sdk/openai');
      const model = supportedModel(createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL }).chat(modelId));
      return resolved('openai', modelId, model, config, false);
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
      const { createOpenAICompatible } = loadProvider<OpenAICompatiblePackage>(
        'openai-compatible',
        '@ai-sdk/openai-compatible',
      );
      const model = supportedModel(
        createOpenAICompatible({ name: 'openai-compatible', baseURL: config.baseURL, apiKey: config.apiKey }).chatModel(
          config.model,
        ),
      );
      return resolved('openai-compatible', config.model, model, config, false);
    }
    case 'ollama': {
      const modelId = config.model ?? DEFAULT_MODELS.ollama[tier];
      const { createOpenAICompatible } = loadProvider<OpenAICompatiblePackage>('ollama', '@ai-sdk/openai-compatible');
      const model = supportedModel(
        createOpenAICompatible({
          name: 'ollama',
          baseURL: ollamaApiUrl(config.baseURL ?? DEFAULT_OLLAMA_URL),
          apiKey: config.apiKey,
        }).chatModel(modelId),
      );
      return resolved('ollama', modelId, model, config, false);
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
  options = { ...options, prices: options.prices ?? pricesFromEnv(env) };
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
 * Describe a model built elsewhere (any {@link SupportedLanguageModel}): label `<provider>:<model id>`, its price from
 * `price`, then `prices`, then the built-in OpenAI list prices when its provider is OpenAI.
 */
export function describeModel(model: SupportedLanguageModel, price?: ModelPrice, prices?: PriceTable): ResolvedModel {
  if (model instanceof ScriptedLanguageModel) {
    return resolved('scripted', model.modelId, model, { price, prices }, true);
  }
  const provider = model.provider.split('.')[0] ?? model.provider;
  return resolved(provider, model.modelId, model, { price, prices }, false);
}

/** The part of `@ai-sdk/openai` (2.x, 3.x, 4.x) used here. */
interface OpenAIPackage {
  createOpenAI(settings: { apiKey?: string; baseURL?: string }): { chat(modelId: string): unknown };
}

/** The part of `@ai-sdk/openai-compatible` (1.x, 2.x, 3.x) used here. */
interface OpenAICompatiblePackage {
  createOpenAICompatible(settings: { name: string; baseURL: string; apiKey?: string }): {
    chatModel(modelId: string): unknown;
  };
}

/** Refuse options with a key {@link ModelOptions} does not have: a typo must not quietly change the model. */
function checkOptionKeys(options: object): void {
  if (typeof options !== 'object' || options === null) return;
  const unknown = Object.keys(options).filter((key) => !MODEL_OPTION_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new ModelUnsupportedError(
      `Model options have unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.join(', ')}; the keys are ${MODEL_OPTION_KEYS.join(', ')}.`,
    );
  }
}

/**
 * The model itself when the agents can drive it; else a {@link ModelUnsupportedError} saying what it is.
 * @internal
 */
export function supportedModel(model: unknown): SupportedLanguageModel {
  if (isSupportedModel(model)) return model;
  if (!looksLikeModel(model)) throw new ModelUnsupportedError(`Cannot use ${describeValue(model)} as a model.`);
  const { specificationVersion: version, provider, modelId } = model;
  const name = typeof provider === 'string' && typeof modelId === 'string' ? ` ${provider}:${modelId}` : '';
  const problem =
    version === undefined
      ? 'it has no specificationVersion'
      : !SPECIFICATION_VERSIONS.includes(version as string)
        ? `its specificationVersion is ${String(version)}`
        : 'it lacks a provider, a modelId or doGenerate';
  throw new ModelUnsupportedError(
    `Cannot drive the model${name}: ${problem}.`,
    typeof version === 'string' ? version : undefined,
  );
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

function resolved(
  provider: ResolvedModel['provider'],
  modelId: string,
  model: SupportedLanguageModel,
  pricing: Pick<ModelOptions, 'price' | 'prices'>,
  offline: boolean,
): ResolvedModel {
  const label = labelOf(provider, modelId);
  return Object.freeze({ provider, modelId, label, model, ...choosePrice(provider, modelId, pricing), offline });
}

/** `<provider>:<model id>`; the scripted model's id already says what it is. */
function labelOf(provider: string, modelId: string): string {
  return provider === 'scripted' ? modelId : `${provider}:${modelId}`;
}
