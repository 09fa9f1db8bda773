export { type HandleSignalsOptions, handleSignals } from './handle-signals.js';
export { SUPPORTED_STORE_SPECIFICATION_VERSIONS } from './store-contract.js';
export { Swarm, type SwarmStatus, type SwarmWorkerStatus } from './swarm.js';
export {
  AttemptAbortedError,
  type AttemptAbortReason,
  SwarmStateError,
  UnsupportedStoreError,
} from './swarm-errors.js';
export type { SwarmEvent, SwarmEventOf, SwarmEventType } from './swarm-events.js';
export type { SwarmLogger, SwarmOptions, SwarmStartOptions } from './swarm-options.js';
export type { SwarmStats, SwarmSummary, WorkerStats } from './swarm-stats.js';
