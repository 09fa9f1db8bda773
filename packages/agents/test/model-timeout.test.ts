import { InvalidInputError } from '@omc/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createModel,
  DEFAULT_MODEL_TIMEOUT_MS,
  ExecutorAgent,
  ModelCallError,
  ModelTimeoutError,
  parseAgentResult,
} from '../src/index.js';
import { type ChatServer, startChatServer } from './chat-server.js';
import { makeContext, makeTask } from './helpers.js';

let server: ChatServer;
beforeAll(async () => {
  server = await startChatServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const localModel = () => createModel({ provider: 'openai-compatible', baseURL: `${server.origin}/v1`, model: 'm' });

describe('the model request timeout', () => {
  it('defaults to two minutes and refuses what a timer cannot wait', () => {
    expect(DEFAULT_MODEL_TIMEOUT_MS).toBe(120_000);
    expect(new ExecutorAgent().timeoutMs).toBe(120_000);
    expect(new ExecutorAgent({ timeoutMs: 5_000 }).timeoutMs).toBe(5_000);
    for (const timeoutMs of [0, -1, 1.5, 2 ** 31, Number.NaN, '100']) {
      expect(() => new ExecutorAgent({ timeoutMs: timeoutMs as number })).toThrow(InvalidInputError);
    }
    expect(() => new ExecutorAgent({ timeoutMs: 0 })).toThrow(
      'timeoutMs must be an integer from 1 to 2147483647, got 0.',
    );
  });

  it('fails a call the server never answers, aborting the request, without retrying it', async () => {
    const task = makeTask();
    // 1 s, and a first call that is answered, so that on a loaded machine the hung request reaches the server
    // before the timeout: the provider's first call loads code, and a request aborted before it was sent
    // would not show that the timeout aborts what was sent.
    const agent = new ExecutorAgent({ model: localModel(), timeoutMs: 1_000, maxRetries: 2 });
    await agent.execute(makeTask(), makeContext());
    server.reset();
    server.mode = 'hang';

    const error = await agent.execute(task, makeContext()).catch((e: unknown) => e);

    expect(ModelTimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'OMC_MODEL_TIMEOUT',
      taskId: task.id,
      model: 'openai-compatible:m',
      timeoutMs: 1_000,
    });
    expect((error as Error).message).toBe(
      `Task ${task.id}: model openai-compatible:m did not answer within 1000 ms, so the request was aborted. Raise the agent's timeoutMs if the model needs longer, or check that its server is up and answering.`,
    );
    expect(server.received).toHaveLength(1); // a timeout is not retried inside the attempt
    await expect.poll(() => server.openRequests()).toBe(0); // the request was really aborted
  });

  it('fails the call even when the model ignores its abort signal', async () => {
    const deaf = {
      specificationVersion: 'v3' as const,
      provider: 'deaf.chat',
      modelId: 'deaf',
      supportedUrls: {},
      doGenerate: () => new Promise<never>(() => {}),
    };
    const error = await new ExecutorAgent({ model: deaf, timeoutMs: 50 }).execute(makeTask()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OMC_MODEL_TIMEOUT', model: 'deaf:deaf', timeoutMs: 50 });
  });
});

describe('retries inside one attempt', () => {
  it('retries a failure the provider marks retryable (a 500), then answers', async () => {
    server.next = ['error'];
    const output = await new ExecutorAgent({ model: localModel() }).execute(makeTask(), makeContext());

    expect(server.received).toHaveLength(2);
    expect(parseAgentResult(output.result).content).toBe('Real answer.');
  });

  it('gives up after maxRetries, and at once on a failure that is not retryable (a 400)', async () => {
    server.mode = 'error';
    const retried = await new ExecutorAgent({ model: localModel(), maxRetries: 1 })
      .execute(makeTask(), makeContext())
      .catch((e: unknown) => e);
    expect(ModelCallError.isInstance(retried)).toBe(true);
    expect(server.received).toHaveLength(2);

    server.reset();
    server.mode = 'bad-request';
    const refused = await new ExecutorAgent({ model: localModel() })
      .execute(makeTask(), makeContext())
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'OMC_MODEL', model: 'openai-compatible:m' });
    expect((refused as Error).message).toContain('no such model');
    expect(server.received).toHaveLength(1);
  });
});
