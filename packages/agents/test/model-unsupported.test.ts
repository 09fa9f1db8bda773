import { describe, expect, it } from 'vitest';
import {
  createModel,
  ExecutorAgent,
  ModelUnsupportedError,
  type RoleAgentOptions,
  resolveModel,
  ScriptedLanguageModel,
  SUPPORTED_MODEL_SPECIFICATIONS,
} from '../src/index.js';

/** An AI SDK 4 style model: the shape is right, the specification is one the agents do not drive. */
const v1Model = {
  specificationVersion: 'v1',
  provider: 'openai.chat',
  modelId: 'gpt-4o',
  doGenerate: async () => ({ text: 'never' }),
};

function refusal(make: () => unknown): ModelUnsupportedError {
  try {
    make();
  } catch (error) {
    expect(ModelUnsupportedError.isInstance(error)).toBe(true);
    return error as ModelUnsupportedError;
  }
  throw new Error('expected ModelUnsupportedError, nothing was thrown');
}

describe('a model the agents cannot drive', () => {
  it('names the supported specifications', () => {
    expect(SUPPORTED_MODEL_SPECIFICATIONS).toBe('LanguageModel v2 (AI SDK 5), v3 (AI SDK 6), v4 (AI SDK 7)');
  });

  it('refuses a model of another specificationVersion, naming it and the supported ones', () => {
    const error = refusal(() => new ExecutorAgent({ model: v1Model as never }));
    expect(error).toMatchObject({ code: 'OMC_MODEL_UNSUPPORTED', specificationVersion: 'v1' });
    expect(error.message).toContain('Cannot drive the model openai.chat:gpt-4o: its specificationVersion is v1.');
    expect(error.message).toContain(SUPPORTED_MODEL_SPECIFICATIONS);
    const v5 = { ...new ScriptedLanguageModel(), specificationVersion: 'v5', doGenerate: () => Promise.resolve() };
    expect(refusal(() => new ExecutorAgent({ model: v5 as never })).specificationVersion).toBe('v5');
  });

  it('refuses a model-like object with no specificationVersion, or one that cannot generate', () => {
    const noVersion = { provider: 'x', modelId: 'y', doGenerate: async () => ({}) };
    expect(refusal(() => new ExecutorAgent({ model: noVersion as never })).message).toContain(
      'it has no specificationVersion',
    );
    const noGenerate = { specificationVersion: 'v3', provider: 'x', modelId: 'y' };
    expect(refusal(() => new ExecutorAgent({ model: noGenerate as never })).message).toContain(
      'it lacks a provider, a modelId or doGenerate',
    );
  });

  it('refuses a resolved model whose model it cannot drive', () => {
    const resolved = { ...resolveModel({ provider: 'scripted' }), model: v1Model };
    expect(refusal(() => new ExecutorAgent({ model: resolved as never })).specificationVersion).toBe('v1');
  });

  it('refuses what is neither a model, a resolved model nor options', () => {
    const string = refusal(() => new ExecutorAgent({ model: 'gpt-4.1-mini' as never }));
    expect(string.message).toContain('Cannot use the string "gpt-4.1-mini" as a model.');
    expect(string.message).toContain('pass { model: "gpt-4.1-mini" }');
    for (const model of [null, 42, ['openai'], () => 'model'] as unknown[]) {
      refusal(() => new ExecutorAgent({ model } as RoleAgentOptions));
    }
  });

  it('refuses options with a key it does not know, listing the keys it does', () => {
    const error = refusal(() => new ExecutorAgent({ model: { provider: 'openai', modelId: 'gpt-4.1' } as never }));
    expect(error.message).toContain('Model options have unknown key modelId; the keys are provider, model, baseURL');
    expect(error.message).toContain(SUPPORTED_MODEL_SPECIFICATIONS);
    expect(refusal(() => resolveModel({ temprature: 0 } as never, {})).message).toContain('unknown key temprature');
    expect(refusal(() => createModel({ provider: 'scripted', delay: 5 } as never)).message).toContain('delay');
  });

  it('still runs offline when no model is given, and only then', () => {
    expect(new ExecutorAgent({ env: {} }).model.label).toBe('scripted (offline)');
    expect(new ExecutorAgent({ model: {}, env: {} }).model.label).toBe('scripted (offline)');
  });
});
