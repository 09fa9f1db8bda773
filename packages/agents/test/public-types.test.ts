// Compile-time checks (run by `pnpm typecheck`): the agents' own structural types match the AI SDK's.
import type { LanguageModelV2 } from 'provider-v2';
import { describe, expect, it } from 'vitest';
import { ScriptedLanguageModel, type SupportedLanguageModel } from '../src/index.js';

describe('public types', () => {
  it('ScriptedLanguageModel is a LanguageModelV2 of @ai-sdk/provider 2 (AI SDK 5, 6 and 7 accept it)', () => {
    const model: LanguageModelV2 = new ScriptedLanguageModel();
    expect(model.specificationVersion).toBe('v2');
  });

  it('the models of every supported provider major are SupportedLanguageModel', () => {
    // Types only: nothing is loaded, so this holds on Node 20 for the Node 22 packages too.
    type Models = [
      ReturnType<ReturnType<typeof import('openai-v2')['createOpenAI']>['chat']>,
      ReturnType<ReturnType<typeof import('openai-v3')['createOpenAI']>['chat']>,
      ReturnType<ReturnType<typeof import('openai-v4')['createOpenAI']>['chat']>,
      ReturnType<ReturnType<typeof import('openai-compatible-v1')['createOpenAICompatible']>['chatModel']>,
      ReturnType<ReturnType<typeof import('openai-compatible-v2')['createOpenAICompatible']>['chatModel']>,
      ReturnType<ReturnType<typeof import('openai-compatible-v3')['createOpenAICompatible']>['chatModel']>,
    ];
    const fits: Models extends SupportedLanguageModel[] ? true : false = true;
    expect(fits).toBe(true);
  });
});
