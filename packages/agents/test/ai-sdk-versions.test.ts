import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXECUTOR_ROLE, ExecutorAgent, parseAgentResult, type SupportedLanguageModel } from '../src/index.js';
import { type ChatServer, SERVER_USAGE, startChatServer } from './chat-server.js';
import { makeContext, makeTask } from './helpers.js';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

interface Major {
  /** The provider package and major, e.g. `@ai-sdk/openai 3.x`. */
  name: string;
  /** The AI SDK major it belongs to. */
  sdk: string;
  specificationVersion: 'v2' | 'v3' | 'v4';
  /** The lowest Node major it runs on. */
  node: number;
  make(baseURL: string): Promise<SupportedLanguageModel>;
  label: string;
}

// Every major of the two providers the agents configure themselves, each a devDependency under an alias.
const MAJORS: Major[] = [
  {
    name: '@ai-sdk/openai 2.x',
    sdk: 'AI SDK 5',
    specificationVersion: 'v2',
    node: 18,
    make: async (baseURL) =>
      (await import('openai-v2')).createOpenAI({ apiKey: 'sk-test', baseURL }).chat('gpt-4.1-mini'),
    label: 'openai:gpt-4.1-mini',
  },
  {
    name: '@ai-sdk/openai 3.x',
    sdk: 'AI SDK 6',
    specificationVersion: 'v3',
    node: 18,
    make: async (baseURL) =>
      (await import('openai-v3')).createOpenAI({ apiKey: 'sk-test', baseURL }).chat('gpt-4.1-mini'),
    label: 'openai:gpt-4.1-mini',
  },
  {
    name: '@ai-sdk/openai 4.x',
    sdk: 'AI SDK 7',
    specificationVersion: 'v4',
    node: 22,
    make: async (baseURL) =>
      (await import('openai-v4')).createOpenAI({ apiKey: 'sk-test', baseURL }).chat('gpt-4.1-mini'),
    label: 'openai:gpt-4.1-mini',
  },
  {
    name: '@ai-sdk/openai-compatible 1.x',
    sdk: 'AI SDK 5',
    specificationVersion: 'v2',
    node: 18,
    make: async (baseURL) =>
      (await import('openai-compatible-v1'))
        .createOpenAICompatible({ name: 'local', baseURL, apiKey: 'sk-test' })
        .chatModel('local-model'),
    label: 'local:local-model',
  },
  {
    name: '@ai-sdk/openai-compatible 2.x',
    sdk: 'AI SDK 6',
    specificationVersion: 'v3',
    node: 18,
    make: async (baseURL) =>
      (await import('openai-compatible-v2'))
        .createOpenAICompatible({ name: 'local', baseURL, apiKey: 'sk-test' })
        .chatModel('local-model'),
    label: 'local:local-model',
  },
  {
    name: '@ai-sdk/openai-compatible 3.x',
    sdk: 'AI SDK 7',
    specificationVersion: 'v4',
    node: 22,
    make: async (baseURL) =>
      (await import('openai-compatible-v3'))
        .createOpenAICompatible({ name: 'local', baseURL, apiKey: 'sk-test' })
        .chatModel('local-model'),
    label: 'local:local-model',
  },
];

let server: ChatServer;
beforeAll(async () => {
  server = await startChatServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe.each(MAJORS)('$name ($sdk, LanguageModel $specificationVersion)', (major) => {
  const tooOld = NODE_MAJOR < major.node;
  const skipNote = `skipped: ${major.name} needs Node ${major.node}+, this is Node ${process.versions.node}`;

  it('drives the model through RoleAgent: text, token usage and finish reason', async (ctx) => {
    if (tooOld) {
      console.warn(skipNote); // the default reporter shows no skip reason; this line does
      ctx.skip(skipNote);
    }
    const model = await major.make(`${server.origin}/v1`);
    expect(model.specificationVersion).toBe(major.specificationVersion);
    const agent = new ExecutorAgent({ model, maxOutputTokens: 100, temperature: 0.25 });
    const task = makeTask({ title: 'Write the parser' });

    const output = await agent.execute(task, makeContext());

    // v2 usage is flat with the provider's own total; v3 and v4 nest it, and the total is input + output.
    const totalTokens = major.specificationVersion === 'v2' ? SERVER_USAGE.total_tokens : 42 + 7;
    const usage = { inputTokens: 42, outputTokens: 7, totalTokens };
    expect(output).toMatchObject({ content: 'Real answer.', usage, finishReason: 'stop' });
    expect(parseAgentResult(output.result)).toMatchObject({ content: 'Real answer.', model: major.label, usage });
    expect(agent.model.label).toBe(major.label);

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request!.url).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe('Bearer sk-test');
    expect(request!.body).toMatchObject({ max_tokens: 100, temperature: 0.25 });
    expect(request!.body.messages).toHaveLength(2);
    expect(request!.body.messages[0]).toEqual({ role: 'system', content: EXECUTOR_ROLE.systemPrompt });
    expect(request!.body.messages[1]).toMatchObject({ role: 'user' });
    expect(request!.body.messages[1]!.content).toMatch(/\nTask title:\n<<<DATA-(\w+)\nWrite the parser\n\1>>>\n/);
    expect(request!.body.messages[1]!.content).toContain(task.id);
  });
});
