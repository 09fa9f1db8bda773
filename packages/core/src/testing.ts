export { FakeClock } from './fake-clock.js';
export { AsyncMemoryTaskStore, MemoryTaskStore, type MemoryTaskStoreOptions } from './memory-task-store.js';
