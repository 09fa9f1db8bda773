import type { TaskStoreV3 } from './contracts/task-store-v3.js';

export type {
  ClaimOptions,
  LeaseWriteOutcome,
  MaybePromise,
  TaskCompletion,
  TaskStoreV3,
} from './contracts/task-store-v3.js';

/**
 * The current version of the `TaskStore` contract, `TaskStoreV3` today: what stores implement and what
 * generic code accepts. Released versions stay frozen beside it (`TaskStoreV3` in
 * `contracts/task-store-v3.ts`); a change to the contract is a new version (`TaskStoreV4`) that this
 * alias then names.
 *
 * ### Examples
 * ```ts
 * async function drain(store: TaskStore, agent: string) {
 *   for (let task = await store.claimTask(agent); task; task = await store.claimTask(agent)) {
 *     await store.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'done' });
 *   }
 * }
 * ```
 */
export type TaskStore = TaskStoreV3;

/** The contract version this package defines: the `specificationVersion` of {@link TaskStore}. */
export const TASK_STORE_SPECIFICATION_VERSION = 'v3' satisfies TaskStore['specificationVersion'];
