import type { ConformanceBackdoor } from '../../store-conformance/src/index.js';
import { storedViewOf } from '../../store-conformance/src/stored.js';
import type { StoredTask, TaskStoreDriver } from '../src/driver.js';
import type { TaskStore } from '../src/index.js';

/**
 * The conformance backdoor of `MemoryTaskStore`: what its driver holds, read past the store's logic. It
 * reads the driver's `getTask(id)` (the store's protected `driver`): the task as kept (status, attempts,
 * leaseToken, leaseExpiresAt, assignedAgent, result, error, runAt) and `metadataJson`, the metadata as
 * serialised. Over the asynchronous driver the read is a promise, queued behind the calls before it.
 */
export function memoryBackdoor(store: TaskStore): ConformanceBackdoor {
  const { driver } = store as unknown as { driver: TaskStoreDriver };
  return {
    readStored(id) {
      const stored = driver.getTask(id);
      return stored instanceof Promise ? stored.then(view) : view(stored);
    },
  };
}

/** The driver's task as kept; its metadata is parsed from the JSON the driver stores. */
function view(stored: StoredTask | null) {
  return stored ? storedViewOf(stored.task) : null;
}
