export { type Clock, systemClock } from './clock.js';
export {
  ForeignDatabaseError,
  InvalidInputError,
  InvalidTransitionError,
  NotADatabaseError,
  OmcError,
  type OmcErrorCode,
  SchemaTooNewError,
  StorageError,
  StoreClosedError,
  unknownCursor,
} from './errors.js';
export { newPendingTask } from './new-task.js';
export {
  type CreateTaskInput,
  emptyStats,
  STATS_KEY,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type Task,
  type TaskFilter,
  type TaskMetadata,
  TaskPriority,
  type TaskStats,
  TaskStatus,
  type UpdateTaskInput,
} from './task.js';
export { newTaskId } from './task-id.js';
export { type MaybePromise, TASK_STORE_SPECIFICATION_VERSION, type TaskStore } from './task-store.js';
export {
  canTransition,
  isTerminal,
  planUpdate,
  type StatusEffect,
  statusChangeInputError,
  statusEffect,
  TRANSITIONS,
} from './transitions.js';
export {
  DEFAULT_MAX_METADATA_BYTES,
  isTaskPriority,
  isTaskStatus,
  serialiseMetadata,
  type ValidationLimits,
  type ValidCreateInput,
  type ValidUpdateInput,
  validateAgentName,
  validateCreateInput,
  validateFilter,
  validateTaskId,
  validateUpdateInput,
} from './validation.js';
