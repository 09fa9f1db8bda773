// A relative import rather than a devDependency on @omc/store-conformance: that package depends on
// @omc/core, so a devDependency back would make turbo's `^build` graph cyclic. Running the suite here
// against the reference store also tests the suite itself.
import { runTaskStoreConformance } from '../../store-conformance/src/index.js';
import { MemoryTaskStore } from '../src/testing.js';
import { memoryBackdoor } from './memory-backdoor.js';

runTaskStoreConformance({
  name: 'MemoryTaskStore',
  createStore: (options) => new MemoryTaskStore(options),
  backdoor: memoryBackdoor,
});
