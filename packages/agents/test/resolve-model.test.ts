import { InvalidInputError } from '@omc/core';
import { describe, expect, it } from 'vitest';
import {
  createModel,
  describeModel,
  ExecutorAgent,
  openAIPrice,
  resolveModel,
  ScriptedLanguageModel,
} from '../src/index.js';

const pick = (env: NodeJS.ProcessEnv, options = {}) => {
  const { provider, modelId, label } = resolveModel(options, env);
  return { provider, modelId, label };
};

describe('resolveModel', () => {
  it('is the scripted model, labelled offline, when the environment names nothing', () => {
    expect(pick({})).toEqual({
      provider: 'scripted',
      modelId: 'scripted (offline)',
      label: 'scripted (offline)',
    });
    expect(pick({ OPENAI_API_KEY: '', OMC_BASE_URL: '' }).provider).toBe('scripted'); // empty means unset
    expect(resolveModel({}, {}).offline).toBe(true);
  });

  it('is openai with OPENAI_API_KEY; cheapest tier picks the cheapest default', () => {
    expect(pick({ OPENAI_API_KEY: 'sk' })).toMatchObject({ provider: 'openai', label: 'openai:gpt-4.1-mini' });
    expect(pick({ OPENAI_API_KEY: 'sk' }, { tier: 'cheapest' }).modelId).toBe('gpt-4.1-nano');
    expect(pick({ OPENAI_API_KEY: 'sk', OMC_MODEL: 'gpt-4o' }).modelId).toBe('gpt-4o');
    expect(pick({ OPENAI_API_KEY: 'sk' }, { model: 'gpt-5-mini' }).modelId).toBe('gpt-5-mini');
  });

  it('is openai-compatible with OMC_BASE_URL, which wins over OPENAI_API_KEY, and needs a model', () => {
    const env = { OMC_BASE_URL: 'http://localhost:8000/v1', OMC_MODEL: 'qwen', OPENAI_API_KEY: 'sk' };
    expect(pick(env)).toMatchObject({ provider: 'openai-compatible', label: 'openai-compatible:qwen' });
    expect(() => resolveModel({}, { OMC_BASE_URL: 'http://localhost:8000/v1' })).toThrow(/needs a model id/);
  });

  it('is ollama with OLLAMA_BASE_URL, with OLLAMA_MODEL or the default model', () => {
    expect(pick({ OLLAMA_BASE_URL: 'http://localhost:11434' })).toMatchObject({
      provider: 'ollama',
      label: 'ollama:llama3.2',
    });
    expect(pick({ OLLAMA_BASE_URL: 'http://h:11434', OLLAMA_MODEL: 'qwen2.5' }).modelId).toBe('qwen2.5');
  });

  it('follows OMC_PROVIDER or an explicit provider before anything else', () => {
    expect(pick({ OMC_PROVIDER: 'scripted', OPENAI_API_KEY: 'sk' }).provider).toBe('scripted');
    expect(pick({ OPENAI_API_KEY: 'sk' }, { provider: 'scripted' }).provider).toBe('scripted');
    expect(pick({}, { provider: 'ollama' })).toMatchObject({ provider: 'ollama', modelId: 'llama3.2' });
    expect(() => resolveModel({}, { OMC_PROVIDER: 'anthropic' })).toThrow(InvalidInputError);
  });

  it('refuses a configuration it cannot use, naming the missing piece', () => {
    const error = (() => {
      try {
        resolveModel({ provider: 'openai' }, {});
      } catch (e) {
        return e;
      }
    })();
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field: 'apiKey' });
    expect(() => createModel({ provider: 'openai-compatible', model: 'm' })).toThrow(/OMC_BASE_URL/);
    expect(() => createModel({ provider: 'scripted', tier: 'free' as never })).toThrow(/tier/);
  });
});

describe('prices', () => {
  it('knows the default OpenAI models, dated snapshots included, and nothing else', () => {
    expect(openAIPrice('gpt-4.1-mini')).toEqual({ inputPer1M: 0.4, outputPer1M: 1.6 });
    expect(openAIPrice('gpt-4.1-nano-2025-04-14')).toEqual({ inputPer1M: 0.1, outputPer1M: 0.4 });
    expect(openAIPrice('my-finetune')).toBeUndefined();
  });

  it('describes models built elsewhere by their provider and id', () => {
    expect(describeModel(new ScriptedLanguageModel())).toMatchObject({
      label: 'scripted (offline)',
      price: { inputPer1M: 0, outputPer1M: 0 },
      offline: true,
    });
    const custom = { ...new ScriptedLanguageModel(), provider: 'anthropic.messages', modelId: 'claude-x' };
    expect(describeModel(custom as never)).toMatchObject({ label: 'anthropic:claude-x', price: undefined });
  });
});

describe('role agent model options', () => {
  it('takes tier as a shorthand, from the environment the agent is given', () => {
    const env = { OPENAI_API_KEY: 'sk' };
    expect(new ExecutorAgent({ tier: 'cheapest', env }).model.label).toBe('openai:gpt-4.1-nano');
    expect(new ExecutorAgent({ model: { tier: 'default' }, tier: 'cheapest', env }).model.modelId).toBe('gpt-4.1-mini');
    expect(new ExecutorAgent({ tier: 'cheapest', env: {} }).model.label).toBe('scripted (offline)');
  });
});
