import { describe, expect, it } from 'vitest';
import { formatAgentResult, parseAgentResult } from '../src/index.js';

describe('formatAgentResult / parseAgentResult', () => {
  const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };

  it('round-trips content, model, usage and cost', () => {
    const record = { content: 'done', model: 'openai:gpt-4.1-mini', usage, costUsd: 0.000012 };
    expect(JSON.parse(formatAgentResult(record))).toEqual(record);
    expect(parseAgentResult(formatAgentResult(record))).toEqual(record);
  });

  it('writes an unknown cost as null with its note and reads it back as undefined', () => {
    const text = formatAgentResult({ content: 'x', model: 'ollama:m', usage, costNote: 'no price known' });
    expect(JSON.parse(text)).toMatchObject({ costUsd: null, costNote: 'no price known' });
    expect(parseAgentResult(text)).toEqual({ content: 'x', model: 'ollama:m', usage, costNote: 'no price known' });
  });

  it('treats anything else as plain content', () => {
    expect(parseAgentResult(undefined)).toEqual({ content: '' });
    expect(parseAgentResult('plain stdout')).toEqual({ content: 'plain stdout' });
    expect(parseAgentResult('{"not":"ours"}')).toEqual({ content: '{"not":"ours"}' });
    expect(parseAgentResult('{broken')).toEqual({ content: '{broken' });
  });
});
