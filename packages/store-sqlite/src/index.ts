export {
  type Clock,
  type CreateTaskInput,
  ForeignDatabaseError,
  InvalidInputError,
  InvalidTransitionError,
  NotADatabaseError,
  OmcError,
  type OmcErrorCode,
  SchemaTooNewError,
  StorageError,
  StoreClosedError,
  type Task,
  type TaskFilter,
  type TaskMetadata,
  TaskPriority,
  type TaskStats,
  TaskStatus,
  type TaskStore,
  type UpdateTaskInput,
} from '@omc/core';
export { SCHEMA_VERSION } from './migrations.js';
export { APPLICATION_ID } from './open-database.js';
export { TaskPool, type TaskPoolOptions } from './task-pool.js';
