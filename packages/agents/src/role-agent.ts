import type { LanguageModelV2 } from '@ai-sdk/provider';
import { type Agent, type AgentContext, InvalidInputError, type Task, type TokenUsage } from '@omc/core';
import { generateText } from 'ai';
import { checkIdentity, optionalInteger } from './agent-options.js';
import { formatAgentResult } from './agent-result.js';
import { ModelCallError } from './errors.js';
import { costOf } from './pricing.js';
import { describeModel, type ModelOptions, type ModelTier, type ResolvedModel, resolveModel } from './resolve-model.js';
import { taskPrompt } from './task-prompt.js';

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
   * The model: options for {@link resolveModel}, a model it returned, or any AI SDK `LanguageModelV2`.
   * Default: `resolveModel()` (a real model when the environment names one, else the scripted one).
   */
  model?: ModelOptions | ResolvedModel | LanguageModelV2;
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
  /** Retries of a failed call inside one attempt (rate limits, 5xx). Default 2. */
  maxRetries?: number;
  /** Environment read by `resolveModel` when `model` is not a ready model. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** What a role agent returns: the JSON result (content, model, usage, cost) plus usage and cost. */
export interface RoleAgentOutput {
  result: string;
  usage: TokenUsage;
  costUsd?: number;
}

/**
 * A model-backed agent: sends the task (title, description, metadata, dependencies' results) with its
 * role's system prompt to the model, passing `ctx.signal` as the abort signal, and records the answer,
 * the model label, token usage and cost in the task's result as JSON (read it with `parseAgentResult`).
 * The role agents (`ExecutorAgent`, `ArchitectAgent`…) are this with a {@link RoleDefinition}.
 *
 * ### Examples
 * ```ts
 * const translator = new RoleAgent(
 *   { role: 'translator', name: 'translator', capabilities: ['translate'],
 *     systemPrompt: 'You translate the task description into French.' },
 *   { model: { provider: 'scripted' } },
 * );
 * ```
 */
export class RoleAgent implements Agent {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly role: string;
  readonly systemPrompt: string;
  readonly model: ResolvedModel;
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
    optionalInteger('maxOutputTokens', options.maxOutputTokens, 1);
    optionalInteger('maxRetries', options.maxRetries, 0);
    this.role = definition.role;
    this.systemPrompt = options.systemPrompt ?? definition.systemPrompt;
    this.model = toResolvedModel(options);
    this.options = { ...options };
  }

  async execute(task: Task, ctx: AgentContext): Promise<RoleAgentOutput> {
    ctx.signal.throwIfAborted();
    let response: Awaited<ReturnType<typeof generateText>>;
    try {
      response = await generateText({
        model: this.model.model,
        system: this.systemPrompt,
        prompt: taskPrompt(task, ctx.dependencies),
        abortSignal: ctx.signal,
        maxOutputTokens: this.options.maxOutputTokens,
        temperature: this.options.temperature,
        maxRetries: this.options.maxRetries ?? 2,
        // Read only by the scripted model; real providers ignore a namespace that is not theirs.
        providerOptions: { scripted: { role: this.role } },
      });
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw new ModelCallError(task.id, this.model.label, error);
    }
    const inputTokens = response.totalUsage.inputTokens ?? 0;
    const outputTokens = response.totalUsage.outputTokens ?? 0;
    const usage: TokenUsage = {
      inputTokens,
      outputTokens,
      totalTokens: response.totalUsage.totalTokens ?? inputTokens + outputTokens,
    };
    const costUsd = this.model.price ? costOf(usage, this.model.price) : undefined;
    const result = formatAgentResult({
      content: response.text,
      model: this.model.label,
      usage,
      costUsd,
      costNote: this.model.costNote,
    });
    return costUsd === undefined ? { result, usage } : { result, usage, costUsd };
  }
}

function toResolvedModel({ model, tier, env }: RoleAgentOptions): ResolvedModel {
  if (isLanguageModel(model)) return describeModel(model);
  if (isLanguageModel((model as ResolvedModel | undefined)?.model)) return model as ResolvedModel;
  const options = (model ?? {}) as ModelOptions;
  return resolveModel({ ...options, tier: options.tier ?? tier }, env);
}

function isLanguageModel(value: unknown): value is LanguageModelV2 {
  return typeof value === 'object' && value !== null && (value as LanguageModelV2).specificationVersion === 'v2';
}
