import { InvalidInputError } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { FunctionAgent } from '../src/index.js';
import { makeContext, makeTask } from './helpers.js';

describe('FunctionAgent', () => {
  it('runs its function with the task and the context and returns what it returns', async () => {
    const seen: string[] = [];
    const agent = new FunctionAgent({
      name: 'upper',
      capabilities: ['text'],
      run: (task, ctx) => {
        seen.push(`${ctx.workerName}#${ctx.attempt}`);
        return task.description.toUpperCase();
      },
    });

    expect(agent.name).toBe('upper');
    expect(agent.capabilities).toEqual(['text']);
    expect(
      await agent.execute(makeTask({ description: 'shout' }), makeContext({ workerName: 'upper-2', attempt: 2 })),
    ).toBe('SHOUT');
    expect(seen).toEqual(['upper-2#2']);
  });

  it('passes on objects with usage and cost, and async results', async () => {
    const output = { result: 'ok', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, costUsd: 0.5 };
    const agent = new FunctionAgent({ name: 'async', run: async () => output });
    await expect(agent.execute(makeTask(), makeContext())).resolves.toEqual(output);
  });

  it('rejects with what the function throws', async () => {
    const agent = new FunctionAgent({
      name: 'boom',
      run: () => {
        throw new Error('boom');
      },
    });
    await expect(agent.execute(makeTask(), makeContext())).rejects.toThrow('boom');
  });

  it('does not call the function when the signal is already aborted', async () => {
    let calls = 0;
    const agent = new FunctionAgent({ name: 'idle', run: () => `${++calls}` });
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(agent.execute(makeTask(), makeContext({ signal: controller.signal }))).rejects.toThrow('cancelled');
    expect(calls).toBe(0);
  });

  it('refuses a missing name or function', () => {
    expect(() => new FunctionAgent({ name: ' ', run: () => 'x' })).toThrow(InvalidInputError);
    expect(() => new FunctionAgent({ name: 'x' } as never)).toThrow(/run/);
  });
});
