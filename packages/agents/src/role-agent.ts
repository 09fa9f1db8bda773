import {
  type Agent,
  type AgentContext,
  InvalidInputError,
  type Task,
  type TokenUsage,
  validateOptionalInteger,
} from '@omc/core';
import { checkIdentity, describeValue } from './agent-options.js';
import { formatAgentResult } from './agent-result.js';
import { callModel } from './call-model.js';
import { ModelUnsupportedError } from './errors.js';
import { looksLikeModel, type ModelFinishReason, type SupportedLanguageModel } from './language-model.js';
import { costOf, pricesFromEnv } from './pricing.js';
import {
  describeModel,
  type ModelOptions,
  type ModelTier,
  type ResolvedModel,
  resolveModel,
  supportedModel,
} from './resolve-model.js';
import { requestPrompt, taskPrompt } from './task-prompt.js';

/** The limit on each model request when `timeoutMs` is not given: 2 minutes. */
export const DEFAULT_MODEL_TIMEOUT_MS = 120_000;

/** The longest `timeoutMs` a timer can wait (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** What makes a role: its id, default name and capabilities, and its system prompt. */
export interface RoleDefinition {
  /** Stable id, e.g. `executor`; the scripted model shapes its reply by it. */
  role: string;
  /** Default agent name. */
  name: string;
  /** Default capabilities. */
  capabilities: readonly string[];
  systemPrompt: string;
}

/** Options shared by every role agent; all optional. */
export interface RoleAgentOptions {
  /** Default: the role's name (`executor`, `qa-tester`…). */
  name?: string;
  /** Default: the role's capabilities. */
  capabilities?: readonly string[];
  /**
   * The model: options for {@link resolveModel}, a model it returned, or an AI SDK language model of
   * specification v2 (AI SDK 5), v3 (AI SDK 6) or v4 (AI SDK 7). Anything else throws
   * `ModelUnsupportedError`. Default: `resolveModel()` (a real model when the environment names one,
   * else the scripted one).
   */
  model?: ModelOptions | ResolvedModel | SupportedLanguageModel;
  /**
   * Shorthand for `model: { tier }`: `cheapest` picks the provider's cheapest default model (ecomode). A
   * `tier` inside `model` options wins; ignored when `model` is a ready model.
   */
  tier?: ModelTier;
  /** Replace the role's system prompt. */
  systemPrompt?: string;
  /** Cap on the answer's length, in tokens. Default: the provider's. */
  maxOutputTokens?: number;
  temperature?: number;
  /**
   * Retries of a request inside one attempt after a failure the provider marks retryable (rate limits,
   * 5xx, a refused connection), after 0.5 s, then 1 s, doubling. Default 2. A timeout is not retried here.
   */
  maxRetries?: number;
  /**
   * Limit on each model request, in ms: past it the request is aborted and the call rejects with
   * `ModelTimeoutError` (in a swarm the attempt fails and the pool retries the task). Default
   * {@link DEFAULT_MODEL_TIMEOUT_MS} (120 000, 2 minutes); at most 2 147 483 647.
   */
  timeoutMs?: number;
  /** Environment read by `resolveModel` when `model` is not a ready model. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The guide's call shape: `agent.execute({ task: task.description, context: task.metadata })`. */
export interface RoleAgentRequest {
  /** What to do, e.g. the task's description; its first line is taken as the title. */
  task: string;
  /** Facts for the model (e.g. the task's metadata), sent as JSON. */
  context?: Record<string, unknown>;
}

/** What a role agent returns: the JSON result the swarm records, and its parts. */
export interface RoleAgentOutput {
  /** JSON of the content, model label, usage and cost, which the swarm stores (read it with `parseAgentResult`). */
  result: string;
  /** The model's answer, as text. */
  content: string;
  usage: TokenUsage;
  /** In USD; absent when no price is known for the model. */
  costUsd?: number;
  /** Why the model stopped: `stop`, or `length` when `maxOutputTokens` cut the answer, … */
  finishReason: ModelFinishReason;
}

/**
 * A model-backed agent: sends the task (title, description, metadata, dependencies' results) with its
 * role's system prompt to the model, and records the answer, the model label, token usage and cost in
 * the task's result as JSON (read it with `parseAgentResult`). Each request is limited to `timeoutMs`;
 * `ctx.signal` aborts it. The role agents (`ExecutorAgent`, `ArchitectAgent`…) are this with a
 * {@link RoleDefinition}.
 *
 * It also works alone, outside a swarm: `execute(task)` with no context (only the timeout then limits
 * the call), or the guide's `execute({ task: description, context: metadata })`; read `.content`.
 *
 * ### Examples
 * ```ts
 * const translator = new RoleAgent(
 *   { role: 'translator', name: 'translator', capabilities: ['translate'],
 *     systemPrompt: 'You translate the task description into French.' },
 *   { model: { provider: 'scripted' }, timeoutMs: 30_000 },
 * );
 * const { content } = await translator.execute({ task: 'Good morning', context: { tone: 'formal' } });
 * ```
 */
export class RoleAgent implements Agent {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly role: string;
  readonly systemPrompt: string;
  readonly model: ResolvedModel;
  /** The limit on each model request, in ms. */
  readonly timeoutMs: number;
  private readonly options: RoleAgentOptions;

  constructor(definition: RoleDefinition, options: RoleAgentOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidInputError('options', `${definition.name} takes an options object (or nothing).`);
    }
    ({ name: this.name, capabilities: this.capabilities } = checkIdentity(
      definition.name,
      options.name ?? definition.name,
      options.capabilities ?? definition.capabilities,
    ));
    validateOptionalInteger('maxOutputTokens', options.maxOutputTokens, { min: 1 });
    validateOptionalInteger('maxRetries', options.maxRetries, { min: 0 });
    this.timeoutMs =
      validateOptionalInteger('timeoutMs', options.timeoutMs, { min: 1, max: MAX_TIMEOUT_MS }) ??
      DEFAULT_MODEL_TIMEOUT_MS;
    this.role = definition.role;
    this.systemPrompt = options.systemPrompt ?? definition.systemPrompt;
    this.model = toResolvedModel(options);
    this.options = { ...options };
  }

  /** Do a task the swarm claimed (`ctx` from the swarm), or one handed over directly (no `ctx`). */
  execute(task: Task, ctx?: AgentContext): Promise<RoleAgentOutput>;
  /** The guide's call shape: `execute({ task: task.description, context: task.metadata })`. */
  execute(request: RoleAgentRequest): Promise<RoleAgentOutput>;
  async execute(input: Task | RoleAgentRequest, ctx?: AgentContext): Promise<RoleAgentOutput> {
    const { taskId, prompt } = this.promptFor(input, ctx);
    const signal = ctx?.signal;
    signal?.throwIfAborted();
    const answer = await callModel(
      this.model.model,
      {
        system: this.systemPrompt,
        prompt,
        maxOutputTokens: this.options.maxOutputTokens,
        temperature: this.options.temperature,
        // Read only by the scripted model; real providers ignore a namespace that is not theirs.
        providerOptions: { scripted: { role: this.role } },
      },
      { taskId, label: this.model.label, timeoutMs: this.timeoutMs, maxRetries: this.options.maxRetries ?? 2, signal },
    );
    const { text: content, usage, finishReason } = answer;
    const costUsd = this.model.price ? costOf(usage, this.model.price) : undefined;
    const result = formatAgentResult({
      content,
      model: this.model.label,
      usage,
      costUsd,
      costNote: this.model.costNote,
    });
    return costUsd === undefined
      ? { result, content, usage, finishReason }
      : { result, content, usage, costUsd, finishReason };
  }

  private promptFor(input: Task | RoleAgentRequest, ctx: AgentContext | undefined) {
    const value = input as Partial<Task> & Partial<RoleAgentRequest>;
    if (typeof value === 'object' && value !== null) {
      if (typeof value.id === 'string' && typeof value.title === 'string' && typeof value.description === 'string') {
        return { taskId: value.id, prompt: taskPrompt(value as Task, ctx?.dependencies ?? []) };
      }
      if (typeof value.task === 'string')
        return { taskId: undefined, prompt: requestPrompt(value.task, value.context) };
    }
    throw new InvalidInputError(
      'task',
      `${this.name}.execute takes a task (with id, title and description) or, as the guide calls it, { task: string, context?: object }; got ${describeValue(input)}.`,
    );
  }
}

function toResolvedModel({ model, tier, env }: RoleAgentOptions): ResolvedModel {
  if (model === undefined) return resolveModel({ tier }, env);
  if (looksLikeModel(model)) return describeModel(supportedModel(model), undefined, pricesFromEnv(env));
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    const hint = typeof model === 'string' ? ` To name a model id, pass { model: ${JSON.stringify(model)} }.` : '';
    throw new ModelUnsupportedError(`Cannot use ${describeValue(model)} as a model.${hint}`);
  }
  // A ResolvedModel carries its model object where options carry a model id string.
  if (typeof (model as { model?: unknown }).model === 'object') {
    supportedModel((model as ResolvedModel).model);
    return model as ResolvedModel;
  }
  const options = model as ModelOptions;
  return resolveModel({ ...options, tier: options.tier ?? tier }, env);
}
