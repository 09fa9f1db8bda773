import type { TokenUsage } from '@omc/core';
import { type ScriptedCall, scriptedReply } from './scripted-replies.js';
import { sleep } from './sleep.js';
import { readPrompt } from './task-prompt.js';

/** The model id every scripted answer is labelled with. */
export const SCRIPTED_MODEL_ID = 'scripted (offline)';

/** Options of {@link ScriptedLanguageModel}. */
export interface ScriptedLanguageModelOptions {
  /**
   * Wait before answering, in ms (or computed per call), so demos look alive. Aborting the call's signal
   * ends the wait at once. Default 0.
   */
  delayMs?: number | ((call: ScriptedCall) => number);
  /** Replace the canned replies (tests, custom demos). */
  reply?: (call: ScriptedCall) => string;
}

/**
 * The part of the AI SDK's call options the scripted model reads. Call options of every specification
 * (v2, v3, v4) fit it.
 */
export interface ScriptedCallOptions {
  prompt: readonly ScriptedPromptMessage[];
  abortSignal?: AbortSignal;
  /** `scripted.role` shapes the reply (the role agents set it). */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** A prompt message as the scripted model reads it: system text, or parts of which it keeps the text. */
export type ScriptedPromptMessage =
  | { role: 'system'; content: string }
  | { role: 'user' | 'assistant' | 'tool'; content: readonly { type: string; text?: string }[] };

/** What {@link ScriptedLanguageModel.doGenerate} returns: a `LanguageModelV2` generate result. */
export interface ScriptedGenerateResult {
  content: { type: 'text'; text: string }[];
  finishReason: 'stop';
  usage: TokenUsage;
  warnings: never[];
  response: { modelId: string; timestamp: Date };
  providerMetadata: { scripted: { role: string | null } };
}

/** One part of {@link ScriptedLanguageModel.doStream}'s stream: `LanguageModelV2` stream parts. */
export type ScriptedStreamPart =
  | { type: 'stream-start'; warnings: never[] }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'finish'; finishReason: 'stop'; usage: TokenUsage };

/**
 * An offline `LanguageModelV2`: deterministic, role-aware canned replies that name the task, token usage
 * estimated from text length (about 4 characters a token), no network. Its id is `scripted (offline)` and
 * every role agent's result shows it, so nobody mistakes its output for a real model's. Its types are
 * spelled out (no AI SDK types), so it compiles in any consumer; AI SDK 5, 6 and 7 all accept it.
 *
 * ### Examples
 * ```ts
 * import { generateText } from 'ai';
 * const { text, usage } = await generateText({ model: new ScriptedLanguageModel(), prompt: 'Task: Hello' });
 * ```
 */
export class ScriptedLanguageModel {
  readonly specificationVersion: 'v2' = 'v2';
  readonly provider: string = 'scripted';
  readonly modelId: string = SCRIPTED_MODEL_ID;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private readonly options: ScriptedLanguageModelOptions;

  constructor(options: ScriptedLanguageModelOptions = {}) {
    this.options = { ...options };
  }

  async doGenerate(options: ScriptedCallOptions): Promise<ScriptedGenerateResult> {
    const { call, text, usage } = await this.answer(options);
    return {
      content: [{ type: 'text', text }],
      finishReason: 'stop',
      usage,
      warnings: [],
      response: { modelId: this.modelId, timestamp: new Date(0) },
      providerMetadata: { scripted: { role: call.role ?? null } },
    };
  }

  async doStream(options: ScriptedCallOptions): Promise<{ stream: ReadableStream<ScriptedStreamPart> }> {
    const { text, usage } = await this.answer(options);
    const parts: ScriptedStreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text-0' },
      // Line by line, so a streaming UI shows it arriving.
      ...text.split(/(?<=\n)/).map((delta): ScriptedStreamPart => ({ type: 'text-delta', id: 'text-0', delta })),
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: 'stop', usage },
    ];
    return {
      stream: new ReadableStream<ScriptedStreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    };
  }

  private async answer(options: ScriptedCallOptions): Promise<{ call: ScriptedCall; text: string; usage: TokenUsage }> {
    options.abortSignal?.throwIfAborted();
    const call = readCall(options);
    const delay = typeof this.options.delayMs === 'function' ? this.options.delayMs(call) : (this.options.delayMs ?? 0);
    if (delay > 0) await sleep(delay, options.abortSignal);
    const text = (this.options.reply ?? scriptedReply)(call);
    const inputTokens = estimateTokens(call.system) + estimateTokens(call.prompt);
    const outputTokens = estimateTokens(text);
    return { call, text, usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens } };
  }
}

function readCall(options: ScriptedCallOptions): ScriptedCall {
  const system: string[] = [];
  const user: string[] = [];
  for (const message of options.prompt) {
    if (message.role === 'system') system.push(message.content);
    else if (message.role === 'user') {
      for (const part of message.content) if (part.type === 'text' && part.text !== undefined) user.push(part.text);
    }
  }
  const prompt = user.join('\n');
  const scripted = options.providerOptions?.scripted ?? {};
  // A role agent's prompt is read by its structure (task text cannot forge it); any other text by its lines.
  const read = readPrompt(prompt);
  const titleField = read?.fields.find((f) => f.label === 'Task title:' || f.label === 'Task:')?.value;
  const taskLine = titleField?.split('\n', 1)[0] ?? /^Task: (.*)$/m.exec(prompt)?.[1];
  const firstLine = prompt.split('\n', 1)[0] ?? '';
  return {
    role: typeof scripted.role === 'string' ? scripted.role : undefined,
    title: (taskLine ?? firstLine).trim() || 'untitled',
    dependencies: read
      ? read.structure.filter((line) => line.startsWith('### Dependency ')).length
      : (prompt.match(/^### Dependency /gm) ?? []).length,
    system: system.join('\n'),
    prompt,
  };
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
