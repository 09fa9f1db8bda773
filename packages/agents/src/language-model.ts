/** The language model specifications the role agents drive, each with the AI SDK major that speaks it. */
export const SUPPORTED_MODEL_SPECIFICATIONS = 'LanguageModel v2 (AI SDK 5), v3 (AI SDK 6), v4 (AI SDK 7)';

/** A `specificationVersion` the role agents can drive. */
export type ModelSpecificationVersion = 'v2' | 'v3' | 'v4';

/**
 * Any AI SDK language model the role agents can drive: `LanguageModelV2` (AI SDK 5 providers),
 * `LanguageModelV3` (AI SDK 6) or `LanguageModelV4` (AI SDK 7). Declared structurally, so `@omc/agents`
 * needs no AI SDK package of its own and takes the models of whichever providers you installed.
 *
 * ### Examples
 * ```ts
 * import { openai } from '@ai-sdk/openai'; // 2.x, 3.x or 4.x
 * const model: SupportedLanguageModel = openai('gpt-4.1-mini');
 * new ExecutorAgent({ model });
 * ```
 */
export interface SupportedLanguageModel {
  readonly specificationVersion: ModelSpecificationVersion;
  /** The provider's name, e.g. `openai.chat`. */
  readonly provider: string;
  readonly modelId: string;
  // `never`: each specification has its own call options; the version's adapter passes the right ones.
  doGenerate(options: never): PromiseLike<unknown>;
}

/** Why a finished call stopped, in the AI SDK's unified terms (a v2 `unknown` is `other`, as the AI SDK maps it). */
export type ModelFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'interrupted' | 'other';

/** @internal */
export const SPECIFICATION_VERSIONS: readonly string[] = ['v2', 'v3', 'v4'];

/**
 * True for an object that claims to be a language model (it has a `specificationVersion` or a
 * `doGenerate`), drivable or not: such a thing is never mistaken for model options.
 * @internal
 */
export function looksLikeModel(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    ('specificationVersion' in value || typeof (value as { doGenerate?: unknown }).doGenerate === 'function')
  );
}

/** True for a model of a specification the role agents drive. @internal */
export function isSupportedModel(value: unknown): value is SupportedLanguageModel {
  if (!looksLikeModel(value)) return false;
  return (
    SPECIFICATION_VERSIONS.includes(value.specificationVersion as string) &&
    typeof value.doGenerate === 'function' &&
    typeof value.provider === 'string' &&
    typeof value.modelId === 'string'
  );
}
