// The adapter kit: what a storage adapter builds on. Users of a store need none of it.
export { type OperationHooks, OperationStart, runAsync, runSync, type Steps, step } from './driver/steps.js';
export type {
  ChangeSignalDriver,
  CheckedTaskRecord,
  ClaimRequest,
  DeletedTask,
  DependencyEnding,
  NewTaskRecord,
  ReclaimedTask,
  StoredTask,
  TaskCounts,
  TaskStoreDriver,
  VersionedWrite,
} from './driver/task-store-driver.js';
export { DriverTaskStore, type StoreResult } from './store/driver-task-store.js';
