import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt } from 'provider-v3';
import type { SupportedLanguageModel } from './language-model.js';
import { joinText, type ModelAnswer, type ModelRequest, tokenUsage } from './model-request.js';

/** One request to a `LanguageModelV3` (the providers of AI SDK 6). @internal */
export async function generateV3(model: SupportedLanguageModel, request: ModelRequest): Promise<ModelAnswer> {
  const prompt: LanguageModelV3Prompt = [
    ...(request.system === '' ? [] : [{ role: 'system' as const, content: request.system }]),
    { role: 'user', content: [{ type: 'text', text: request.prompt }] },
  ];
  const options: LanguageModelV3CallOptions = {
    prompt,
    abortSignal: request.abortSignal,
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    providerOptions: request.providerOptions,
  };
  const result = await (model as unknown as LanguageModelV3).doGenerate(options);
  return {
    text: joinText(result.content),
    // v3 usage is nested per direction; the total is input + output, as AI SDK 6 computes it.
    usage: tokenUsage(result.usage.inputTokens.total, result.usage.outputTokens.total),
    // v3 finish reasons are { unified, raw }.
    finishReason: result.finishReason.unified,
  };
}
