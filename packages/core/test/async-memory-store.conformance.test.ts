// The whole suite over the asynchronous driver: the same store logic as MemoryTaskStore, every driver
// call a promise. What passes here does not depend on the store being synchronous.
import { runTaskStoreConformance } from '../../store-conformance/src/index.js';
import { AsyncMemoryTaskStore } from '../src/testing.js';
import { memoryBackdoor } from './memory-backdoor.js';

runTaskStoreConformance({
  name: 'AsyncMemoryTaskStore',
  createStore: (options) => new AsyncMemoryTaskStore(options),
  backdoor: memoryBackdoor,
});
