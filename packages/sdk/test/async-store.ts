// An asynchronous TaskStore for the modes' tests: core's MemoryTaskStore behind promises. When core's
// '@omc/core/testing' exports AsyncMemoryTaskStore, this file becomes that one line:
//   export const createAsyncStore = (options?: MemoryTaskStoreOptions) => new AsyncMemoryTaskStore(options);
import type { TaskStore } from '@omc/core';
import { MemoryTaskStore, type MemoryTaskStoreOptions } from '@omc/core/testing';

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** Every method of the contract returns a promise, except `onChange`, which the contract keeps synchronous. */
export type AsyncTaskStore = Pick<TaskStore, 'specificationVersion' | 'onChange'> & {
  [K in AsyncMethod]: Promised<TaskStore[K]>;
};

type AsyncMethod = (typeof ASYNC_METHODS)[number];

const ASYNC_METHODS = [
  'createTask',
  'createTasks',
  'claimTask',
  'claimTasks',
  'getTask',
  'updateTask',
  'getTasks',
  'getStats',
  'deleteTask',
  'clearAll',
  'startTask',
  'startTasks',
  'heartbeat',
  'completeTask',
  'completeTasks',
  'failTask',
  'releaseTask',
  'cancelTask',
  'retryTask',
  'reclaimExpired',
  'getTaskHistory',
  'close',
] as const satisfies ReadonlyArray<keyof TaskStore>;

// A method added to the contract and missing above fails the type check here.
const everyMethodListed: Exclude<keyof TaskStore, AsyncMethod | 'specificationVersion' | 'onChange'> extends never
  ? true
  : never = true;
void everyMethodListed;

/** The next turn of the event loop: after every pending microtask, as a network round trip would be. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A MemoryTaskStore whose every call runs on a later turn of the event loop and returns a promise, so
 * code that reads a result without `await` gets a Promise (no `id`, no `status`) and fails.
 */
export function createAsyncStore(options?: MemoryTaskStoreOptions): AsyncTaskStore {
  const inner = new MemoryTaskStore(options);
  const methods = Object.fromEntries(
    ASYNC_METHODS.map((name) => [
      name,
      async (...args: unknown[]) => {
        await nextTurn();
        return Reflect.apply(inner[name], inner, args);
      },
    ]),
  ) as { [K in AsyncMethod]: Promised<TaskStore[K]> };
  return {
    specificationVersion: inner.specificationVersion,
    onChange: (listener) => inner.onChange(listener),
    ...methods,
  };
}
