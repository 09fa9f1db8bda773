// An asynchronous TaskStore for the modes' tests: core's reference store over its asynchronous driver,
// where every call returns a promise settled later.
import { AsyncMemoryTaskStore, type MemoryTaskStoreOptions } from '@omc/core/testing';

export type AsyncTaskStore = AsyncMemoryTaskStore;

export const createAsyncStore = (options?: MemoryTaskStoreOptions): AsyncTaskStore => new AsyncMemoryTaskStore(options);
