export * from '@omc/agents';
export * from '@omc/core';
export { TaskPool, type TaskPoolOptions } from '@omc/store-sqlite';
export * from '@omc/swarm';
export type { AutopilotOptions, AutopilotResult, AutopilotStage } from './autopilot.js';
export type { EcoOptions } from './eco.js';
export type { ModeTaskResult, RoleAgentFactory } from './mode-run.js';
export {
  OhMyCopilot,
  type OhMyCopilotCommonOptions,
  type OhMyCopilotDbOptions,
  type OhMyCopilotDbPathOptions,
  type OhMyCopilotOptions,
  type OhMyCopilotStoreOptions,
} from './oh-my-copilot.js';
export { type OpenTaskStoreOptions, openTaskStore, type PostgresOnlyOptions } from './open-task-store.js';
export {
  ACCEPTED_STORE_URLS,
  type PostgresStoreUrl,
  parseStoreUrl,
  redactStoreUrl,
  type SqliteStoreUrl,
  type StoreUrl,
} from './store-url.js';
export type { UltraItem, UltraOptions } from './ultra.js';
