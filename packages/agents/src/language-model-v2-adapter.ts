import type { LanguageModelV2, LanguageModelV2CallOptions, LanguageModelV2Prompt } from 'provider-v2';
import type { SupportedLanguageModel } from './language-model.js';
import { joinText, type ModelAnswer, type ModelRequest, tokenUsage } from './model-request.js';

/** One request to a `LanguageModelV2` (the providers of AI SDK 5). @internal */
export async function generateV2(model: SupportedLanguageModel, request: ModelRequest): Promise<ModelAnswer> {
  const prompt: LanguageModelV2Prompt = [
    ...(request.system === '' ? [] : [{ role: 'system' as const, content: request.system }]),
    { role: 'user', content: [{ type: 'text', text: request.prompt }] },
  ];
  const options: LanguageModelV2CallOptions = {
    prompt,
    abortSignal: request.abortSignal,
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    providerOptions: request.providerOptions,
  };
  const result = await (model as unknown as LanguageModelV2).doGenerate(options);
  const { inputTokens, outputTokens, totalTokens } = result.usage;
  return {
    text: joinText(result.content),
    // v2 usage is flat, and its total is the provider's own (it may count tokens the two others do not).
    usage: tokenUsage(inputTokens, outputTokens, totalTokens),
    finishReason: result.finishReason === 'unknown' ? 'other' : result.finishReason,
  };
}
