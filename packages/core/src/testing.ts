export { FakeClock } from './fake-clock.js';
export { MemoryTaskStore, type MemoryTaskStoreOptions } from './memory-task-store.js';
