import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createModel,
  EXECUTOR_ROLE,
  ExecutorAgent,
  ModelCallError,
  parseAgentResult,
  resolveModel,
  SecurityReviewerAgent,
} from '../src/index.js';
import { type ChatServer, startChatServer } from './chat-server.js';
import { makeContext, makeTask } from './helpers.js';

let server: ChatServer;
let origin: string;
let received: ChatServer['received'];

// A local server speaking the OpenAI chat-completions API, so the real provider path runs offline.
beforeAll(async () => {
  server = await startChatServer();
  ({ origin, received } = server);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('role agents on a real OpenAI-compatible server', () => {
  it('openai-compatible: sends system prompt and task, records the answer, usage and an unknown price', async () => {
    const model = createModel({
      provider: 'openai-compatible',
      baseURL: `${origin}/v1`,
      model: 'local-model',
      apiKey: 'k-local',
    });
    const agent = new ExecutorAgent({ model });
    const task = makeTask({ title: 'Write the parser' });

    const output = await agent.execute(task, makeContext());

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.url).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe('Bearer k-local');
    expect(request!.body.model).toBe('local-model');
    expect(request!.body.messages[0]).toEqual({ role: 'system', content: EXECUTOR_ROLE.systemPrompt });
    expect(request!.body.messages[1]!.role).toBe('user');
    expect(request!.body.messages[1]!.content).toMatch(/\nTask title:\n<<<DATA-(\w+)\nWrite the parser\n\1>>>\n/);
    expect(JSON.stringify(request!.body)).not.toContain('scripted'); // the scripted model's hint stays local

    // The default @ai-sdk/openai-compatible (2.x) makes LanguageModelV3 models: total = input + output.
    const usage = { inputTokens: 42, outputTokens: 7, totalTokens: 49 };
    expect(output).toEqual({ result: output.result, content: 'Real answer.', usage, finishReason: 'stop' });
    expect(parseAgentResult(output.result)).toEqual({
      content: 'Real answer.',
      model: 'openai-compatible:local-model',
      usage,
      costNote:
        'no price known for openai-compatible:local-model; cost not computed (pass price or prices, or set OMC_PRICES)',
    });
  });

  it('openai: a known model is priced from the table', async () => {
    const model = createModel({ provider: 'openai', apiKey: 'sk-test', baseURL: `${origin}/v1` });
    const output = await new SecurityReviewerAgent({ model }).execute(makeTask(), makeContext());

    expect(received[0]!.body.model).toBe('gpt-4.1-mini');
    expect(received[0]!.headers.authorization).toBe('Bearer sk-test');
    const expected = (42 * 0.4 + 7 * 1.6) / 1_000_000;
    expect(output.costUsd).toBeCloseTo(expected, 15);
    expect(parseAgentResult(output.result)).toMatchObject({ model: 'openai:gpt-4.1-mini', content: 'Real answer.' });
    expect(parseAgentResult(output.result).costUsd).toBeCloseTo(expected, 15);
  });

  it('ollama from the environment: /v1 appended, default model, no cost', async () => {
    const agent = new ExecutorAgent({ env: { OLLAMA_BASE_URL: origin } });
    const output = await agent.execute(makeTask(), makeContext());

    expect(received[0]!.url).toBe('/v1/chat/completions');
    expect(received[0]!.body.model).toBe('llama3.2');
    expect(output.costUsd).toBe(0);
    expect(parseAgentResult(output.result).model).toBe('ollama:llama3.2');
  });

  it('never sends OPENAI_API_KEY to an OMC_BASE_URL server', async () => {
    const model = resolveModel({}, { OMC_BASE_URL: `${origin}/v1`, OMC_MODEL: 'm', OPENAI_API_KEY: 'sk-secret' });
    await new ExecutorAgent({ model }).execute(makeTask(), makeContext());

    expect(model.provider).toBe('openai-compatible');
    expect(received[0]!.headers.authorization).toBeUndefined();
  });

  it('a server error fails the attempt with ModelCallError', async () => {
    server.mode = 'error';
    const model = createModel({ provider: 'openai-compatible', baseURL: `${origin}/v1`, model: 'm' });
    const task = makeTask();

    const error = await new ExecutorAgent({ model, maxRetries: 0 })
      .execute(task, makeContext())
      .catch((e: unknown) => e);

    expect(ModelCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OMC_MODEL', taskId: task.id, model: 'openai-compatible:m' });
    expect((error as Error).message).toContain('the server is on fire');
  });

  it('ctx.signal aborts a call the server never answers', async () => {
    server.mode = 'hang';
    const model = createModel({ provider: 'openai-compatible', baseURL: `${origin}/v1`, model: 'm' });
    const controller = new AbortController();
    const reason = new Error('lease lost');

    const running = new ExecutorAgent({ model }).execute(makeTask(), makeContext({ signal: controller.signal }));
    await expect.poll(() => received.length).toBe(1);
    controller.abort(reason);

    await expect(running).rejects.toBe(reason);
  });
});
