import { InvalidInputError } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { ExecutorAgent, parseAgentResult, type ScriptedCall, ScriptedLanguageModel } from '../src/index.js';
import { makeTask } from './helpers.js';

/** A scripted model that records what it was sent and answers `ok: <title>`. */
function recordingModel() {
  const calls: ScriptedCall[] = [];
  const model = new ScriptedLanguageModel({
    reply: (call) => {
      calls.push(call);
      return `ok: ${call.title}`;
    },
  });
  return { calls, model };
}

describe('a role agent outside a swarm', () => {
  it('executes a task with no context: no signal, no dependencies', async () => {
    const { calls, model } = recordingModel();
    const task = makeTask({ title: 'Write the parser', metadata: { lang: 'ts' } });

    const output = await new ExecutorAgent({ model }).execute(task);

    expect(output.content).toBe('ok: Write the parser');
    expect(parseAgentResult(output.result)).toMatchObject({
      content: 'ok: Write the parser',
      model: 'scripted (offline)',
    });
    expect(calls[0]!.prompt).toContain('"lang": "ts"');
    expect(calls[0]!.dependencies).toBe(0);
  });

  it("takes the guide's call shape, { task: description, context: metadata }, and answers with .content", async () => {
    const { calls, model } = recordingModel();
    const agent = new ExecutorAgent({ model });

    const result = await agent.execute({ task: 'Implement the login form', context: { framework: 'react' } });

    expect(result.content).toBe('ok: Implement the login form');
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    expect(parseAgentResult(result.result).content).toBe(result.content);
    expect(calls[0]).toMatchObject({ role: 'executor', title: 'Implement the login form' });
    expect(calls[0]!.system).toBe(agent.systemPrompt);
    expect(calls[0]!.prompt).toMatch(/\nContext \(JSON\):\n<<<DATA-(\w+)\n\{\n {2}"framework": "react"\n\}\n\1>>>$/);

    // task.metadata is often undefined: the context is then left out.
    const bare = await agent.execute({ task: 'Write docs', context: undefined });
    expect(bare.content).toBe('ok: Write docs');
    expect(calls[1]!.prompt).toMatch(/\n\nTask:\n<<<DATA-(\w+)\nWrite docs\n\1>>>$/);
    expect(calls[1]!.prompt).not.toContain('Context');
  });

  it('refuses anything else, saying what it takes', async () => {
    const agent = new ExecutorAgent();
    for (const input of [undefined, 'Write docs', { description: 'no id or title' }, { task: 42 }]) {
      await expect(agent.execute(input as never)).rejects.toThrow(InvalidInputError);
    }
    await expect(agent.execute({ title: 'x' } as never)).rejects.toThrow(
      'executor.execute takes a task (with id, title and description) or, as the guide calls it, { task: string, context?: object }; got an object.',
    );
  });
});
