import type {
  LanguageModelV2,
  LanguageModelV2CallOptions,
  LanguageModelV2StreamPart,
  LanguageModelV2Usage,
} from '@ai-sdk/provider';
import { type ScriptedCall, scriptedReply } from './scripted-replies.js';

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
 * An offline `LanguageModelV2`: deterministic, role-aware canned replies that name the task, token usage
 * estimated from text length (about 4 characters a token), no network. Its id is `scripted (offline)` and
 * every role agent's result shows it, so nobody mistakes its output for a real model's.
 *
 * ### Examples
 * ```ts
 * import { generateText } from 'ai';
 * const { text, usage } = await generateText({ model: new ScriptedLanguageModel(), prompt: 'Task: Hello' });
 * ```
 */
export class ScriptedLanguageModel implements LanguageModelV2 {
  readonly specificationVersion = 'v2';
  readonly provider = 'scripted';
  readonly modelId = SCRIPTED_MODEL_ID;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private readonly options: ScriptedLanguageModelOptions;

  constructor(options: ScriptedLanguageModelOptions = {}) {
    this.options = { ...options };
  }

  async doGenerate(options: LanguageModelV2CallOptions) {
    const { call, text, usage } = await this.answer(options);
    return {
      content: [{ type: 'text' as const, text }],
      finishReason: 'stop' as const,
      usage,
      warnings: [],
      response: { modelId: this.modelId, timestamp: new Date(0) },
      providerMetadata: { scripted: { role: call.role ?? null } },
    };
  }

  async doStream(options: LanguageModelV2CallOptions) {
    const { text, usage } = await this.answer(options);
    const parts: LanguageModelV2StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 'text-0' },
      // Line by line, so a streaming UI shows it arriving.
      ...text.split(/(?<=\n)/).map((delta): LanguageModelV2StreamPart => ({ type: 'text-delta', id: 'text-0', delta })),
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: 'stop', usage },
    ];
    return {
      stream: new ReadableStream<LanguageModelV2StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    };
  }

  private async answer(options: LanguageModelV2CallOptions) {
    options.abortSignal?.throwIfAborted();
    const call = readCall(options);
    const delay = typeof this.options.delayMs === 'function' ? this.options.delayMs(call) : (this.options.delayMs ?? 0);
    if (delay > 0) await sleep(delay, options.abortSignal);
    const text = (this.options.reply ?? scriptedReply)(call);
    const inputTokens = estimateTokens(call.system) + estimateTokens(call.prompt);
    const outputTokens = estimateTokens(text);
    const usage: LanguageModelV2Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
    return { call, text, usage };
  }
}

function readCall(options: LanguageModelV2CallOptions): ScriptedCall {
  const system: string[] = [];
  const user: string[] = [];
  for (const message of options.prompt) {
    if (message.role === 'system') system.push(message.content);
    else if (message.role === 'user') {
      for (const part of message.content) if (part.type === 'text') user.push(part.text);
    }
  }
  const prompt = user.join('\n');
  const scripted = options.providerOptions?.scripted ?? {};
  const taskLine = /^Task: (.*)$/m.exec(prompt)?.[1];
  const firstLine = prompt.split('\n', 1)[0] ?? '';
  return {
    role: typeof scripted.role === 'string' ? scripted.role : undefined,
    title: (taskLine ?? firstLine).trim() || 'untitled',
    dependencies: (prompt.match(/^### Dependency /gm) ?? []).length,
    system: system.join('\n'),
    prompt,
  };
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
