import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Prompt } from 'provider-v4';
import type { SupportedLanguageModel } from './language-model.js';
import { joinText, type ModelAnswer, type ModelRequest, tokenUsage } from './model-request.js';

/** One request to a `LanguageModelV4` (the providers of AI SDK 7). @internal */
export async function generateV4(model: SupportedLanguageModel, request: ModelRequest): Promise<ModelAnswer> {
  const prompt: LanguageModelV4Prompt = [
    ...(request.system === '' ? [] : [{ role: 'system' as const, content: request.system }]),
    { role: 'user', content: [{ type: 'text', text: request.prompt }] },
  ];
  const options: LanguageModelV4CallOptions = {
    prompt,
    abortSignal: request.abortSignal,
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    providerOptions: request.providerOptions,
  };
  const result = await (model as unknown as LanguageModelV4).doGenerate(options);
  return {
    text: joinText(result.content),
    // v4 usage has v3's nested shape; the total is input + output, as AI SDK 7 computes it.
    usage: tokenUsage(result.usage.inputTokens.total, result.usage.outputTokens.total),
    // v4 adds the unified reason `interrupted`.
    finishReason: result.finishReason.unified,
  };
}
