import { InvalidInputError } from '@omc/core';
import { generateText } from 'ai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ArchitectAgent,
  DesignerAgent,
  ExecutorAgent,
  ModelCallError,
  parseAgentResult,
  QATesterAgent,
  type RoleAgent,
  type RoleAgentOptions,
  type ScriptedCall,
  ScriptedLanguageModel,
  SecurityReviewerAgent,
} from '../src/index.js';
import { makeContext, makeTask } from './helpers.js';

const ROLES: { make: (o?: RoleAgentOptions) => RoleAgent; role: string; name: string; capabilities: string[] }[] = [
  { make: (o) => new ExecutorAgent(o), role: 'executor', name: 'executor', capabilities: ['code'] },
  { make: (o) => new ArchitectAgent(o), role: 'architect', name: 'architect', capabilities: ['architecture'] },
  { make: (o) => new QATesterAgent(o), role: 'qa-tester', name: 'qa-tester', capabilities: ['test'] },
  {
    make: (o) => new SecurityReviewerAgent(o),
    role: 'security-reviewer',
    name: 'security-reviewer',
    capabilities: ['review', 'security'],
  },
  { make: (o) => new DesignerAgent(o), role: 'designer', name: 'designer', capabilities: ['design'] },
];

const fetchCalls = vi.fn();
beforeEach(() => {
  // The scripted model must never touch the network: any fetch fails the test.
  vi.stubGlobal('fetch', (...args: unknown[]) => {
    fetchCalls(...args);
    throw new Error('network used by an offline test');
  });
  for (const name of ['OMC_PROVIDER', 'OMC_BASE_URL', 'OMC_MODEL', 'OPENAI_API_KEY', 'OLLAMA_BASE_URL']) {
    vi.stubEnv(name, '');
  }
});
afterEach(() => {
  expect(fetchCalls).not.toHaveBeenCalled();
  fetchCalls.mockClear();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe.each(ROLES)('$name agent on the scripted model', ({ make, role, name, capabilities }) => {
  it('works with no arguments: default name, capabilities and the scripted model', () => {
    const agent = make();
    expect(agent.name).toBe(name);
    expect(agent.role).toBe(role);
    expect(agent.capabilities).toEqual(capabilities);
    expect(agent.model.label).toBe('scripted (offline)');
    expect(agent.model.offline).toBe(true);
  });

  it('answers deterministically in its role, naming the task, with usage, cost 0 and the label', async () => {
    const agent = make();
    const task = makeTask({ title: 'Add password reset' });

    const first = await agent.execute(task, makeContext());
    const second = await make().execute(task, makeContext());

    expect(second).toEqual(first);
    const parsed = parseAgentResult(first.result);
    expect(parsed.model).toBe('scripted (offline)');
    expect(parsed.content).toContain(`[scripted (offline) ${role}]`);
    expect(parsed.content).toContain('Add password reset');
    expect(parsed.usage!.inputTokens).toBeGreaterThan(0);
    expect(parsed.usage!.outputTokens).toBeGreaterThan(0);
    expect(parsed.usage!.totalTokens).toBe(parsed.usage!.inputTokens + parsed.usage!.outputTokens);
    expect(parsed.costUsd).toBe(0);
    expect(first.usage).toEqual(parsed.usage);
    expect(first.costUsd).toBe(0);
  });

  it('takes a name, capabilities and system prompt of the caller', () => {
    const agent = make({ name: 'custom', capabilities: ['x'], systemPrompt: 'Be brief.' });
    expect([agent.name, agent.capabilities, agent.systemPrompt]).toEqual(['custom', ['x'], 'Be brief.']);
  });
});

describe('RoleAgent prompts', () => {
  it('sends the system prompt, the task and its dependencies to the model', async () => {
    const calls: ScriptedCall[] = [];
    const model = new ScriptedLanguageModel({
      reply: (call) => {
        calls.push(call);
        return 'ok';
      },
    });
    const agent = new QATesterAgent({ model });
    const architect = await new ArchitectAgent().execute(makeTask({ title: 'Design auth' }), makeContext());
    const dependencies = [
      makeTask({ title: 'Design auth', result: architect.result }),
      makeTask({ title: 'Build auth', result: 'plain output from a command' }),
    ];
    const task = makeTask({ title: 'Test auth', description: 'Check the login.', metadata: { suite: 'e2e' } });

    const output = await agent.execute(task, makeContext({ dependencies }));

    expect(parseAgentResult(output.result).content).toBe('ok');
    const [call] = calls;
    expect(call).toMatchObject({ role: 'qa-tester', title: 'Test auth', dependencies: 2 });
    expect(call!.system).toBe(agent.systemPrompt);
    expect(call!.prompt).toContain('Check the login.');
    expect(call!.prompt).toContain('"suite": "e2e"');
    // Each task-supplied value is fenced (see task-prompt.test.ts): the label, then the value in its fence.
    expect(call!.prompt).toMatch(/\n### Dependency 1\n\nTitle:\n<<<DATA-(\w+)\nDesign auth\n\1>>>\n/);
    // A role agent's JSON result is passed on as its content, not as JSON.
    expect(call!.prompt).toContain('[scripted (offline) architect]');
    expect(call!.prompt).not.toContain('"usage"');
    expect(call!.prompt).toContain('plain output from a command');
  });
});

describe('RoleAgent cancellation', () => {
  it('stops a slow call when ctx.signal aborts, rejecting with the reason', async () => {
    const agent = new ExecutorAgent({ model: { provider: 'scripted', delayMs: 60_000 } });
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');

    const running = agent.execute(makeTask(), makeContext({ signal: controller.signal }));
    controller.abort(reason);

    await expect(running).rejects.toBe(reason);
  });

  it('does not call the model when the signal is already aborted', async () => {
    const reply = vi.fn(() => 'never');
    const agent = new ExecutorAgent({ model: new ScriptedLanguageModel({ reply }) });
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));

    await expect(agent.execute(makeTask(), makeContext({ signal: controller.signal }))).rejects.toThrow('shutdown');
    expect(reply).not.toHaveBeenCalled();
  });

  it('wraps a model failure in ModelCallError naming the task and the model', async () => {
    const agent = new ExecutorAgent({
      model: new ScriptedLanguageModel({
        reply: () => {
          throw new Error('model exploded');
        },
      }),
      maxRetries: 0,
    });
    const task = makeTask();

    const error = await agent.execute(task, makeContext()).catch((e: unknown) => e);

    expect(ModelCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OMC_MODEL', taskId: task.id, model: 'scripted (offline)' });
    expect((error as Error).message).toContain('model exploded');
  });

  it('refuses bad options when built', () => {
    expect(() => new ExecutorAgent({ maxOutputTokens: 0 })).toThrow(InvalidInputError);
    expect(() => new ExecutorAgent({ model: { provider: 'nope' as never } })).toThrow(/provider must be one of/);
  });
});

describe('ScriptedLanguageModel', () => {
  it('is a LanguageModelV2 the AI SDK can use directly, streaming included', async () => {
    const model = new ScriptedLanguageModel();
    const { text, usage } = await generateText({ model, prompt: 'Task: Write the changelog' });
    expect(text).toContain('Write the changelog');
    expect(usage.totalTokens).toBeGreaterThan(0);

    const { stream } = await model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    const parts: string[] = [];
    for await (const part of stream) if (part.type === 'text-delta') parts.push(part.delta);
    expect(parts.join('')).toContain('Answer for "hi"');
  });
});
