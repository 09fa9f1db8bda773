// Relative, as memory-store.conformance.test.ts explains: a devDependency on the conformance package
// would make turbo's build graph cyclic.
import { describeInputFuzz } from '../../store-conformance/src/index.js';
import { MemoryTaskStore } from '../src/testing.js';

// Cases per property: both properties take about half a minute here (see the conformance README).
describeInputFuzz(
  {
    name: 'MemoryTaskStore',
    createStore: (options) => new MemoryTaskStore(options),
  },
  { runs: 8000 },
);
