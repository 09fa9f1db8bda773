export { type AgentResult, formatAgentResult, parseAgentResult } from './agent-result.js';
export { ARCHITECT_ROLE, ArchitectAgent } from './architect-agent.js';
export { PLACEHOLDERS } from './argv-template.js';
export { CommandAgent, type CommandAgentOptions } from './command-agent.js';
export { DESIGNER_ROLE, DesignerAgent } from './designer-agent.js';
export {
  CommandFailedError,
  type CommandFailure,
  CommandTimeoutError,
  ModelCallError,
  ModelTimeoutError,
  ModelUnsupportedError,
  ProviderNotInstalledError,
  UnsafeArgumentError,
} from './errors.js';
export { EXECUTOR_ROLE, ExecutorAgent } from './executor-agent.js';
export { FunctionAgent, type FunctionAgentOptions } from './function-agent.js';
export {
  type ModelFinishReason,
  type ModelSpecificationVersion,
  SUPPORTED_MODEL_SPECIFICATIONS,
  type SupportedLanguageModel,
} from './language-model.js';
export {
  BUILT_IN_PRICES_SOURCE,
  costOf,
  findPrice,
  type ModelPrice,
  OPENAI_PRICES,
  openAIPrice,
  type PriceSource,
  type PriceTable,
  parsePrices,
  pricesFromEnv,
  readPrices,
} from './pricing.js';
export { QA_TESTER_ROLE, QATesterAgent } from './qa-tester-agent.js';
export {
  createModel,
  DEFAULT_MODELS,
  DEFAULT_OLLAMA_URL,
  describeModel,
  type ModelConfig,
  type ModelOptions,
  type ModelProvider,
  type ModelTier,
  type ResolvedModel,
  resolveModel,
} from './resolve-model.js';
export {
  DEFAULT_MODEL_TIMEOUT_MS,
  RoleAgent,
  type RoleAgentOptions,
  type RoleAgentOutput,
  type RoleAgentRequest,
  type RoleDefinition,
} from './role-agent.js';
export {
  SCRIPTED_MODEL_ID,
  type ScriptedCallOptions,
  type ScriptedGenerateResult,
  ScriptedLanguageModel,
  type ScriptedLanguageModelOptions,
  type ScriptedPromptMessage,
  type ScriptedStreamPart,
} from './scripted-language-model.js';
export type { ScriptedCall } from './scripted-replies.js';
export { SECURITY_REVIEWER_ROLE, SecurityReviewerAgent } from './security-reviewer-agent.js';
export { stripTerminalControls } from './terminal-text.js';
