import { ChangeListeners } from '../change-listeners.js';
import { runAsync, type Steps } from '../driver/steps.js';
import type { TaskStoreDriver } from '../driver/task-store-driver.js';
import { MemoryDriver } from './memory-driver.js';

/** Every data method of a driver: what the asynchronous view wraps. */
const DRIVER_CALLS = [
  'getTask',
  'getTaskByIdempotencyKey',
  'getStatuses',
  'listTasks',
  'countTasks',
  'getHistory',
  'insertTasks',
  'insertCheckedTask',
  'upkeepDue',
  'reclaimExpired',
  'promoteDue',
  'claimReady',
  'startHeld',
  'heartbeatHeld',
  'completeHeld',
  'writeIfVersion',
  'cancelDependants',
  'deleteTask',
  'dropEdges',
  'clearAll',
] as const satisfies readonly (keyof TaskStoreDriver)[];

/**
 * The reference driver made asynchronous: every call returns a promise, settled on a later microtask,
 * so store logic that read a result synchronously anywhere would get a promise instead and fail. Calls
 * are serialised, as one database connection serialises them, and a transaction holds the driver until
 * it ends (rolled back when it throws), so concurrent operations interleave between calls but never
 * inside a transaction. What proves that nothing above the store depends on synchrony.
 * @internal
 */
export function asyncMemoryDriver(): TaskStoreDriver {
  const inner = new MemoryDriver();
  const changes = new ChangeListeners({ afterIo: true });
  /** The end of the last call queued; the next waits for it. */
  let tail: Promise<unknown> = Promise.resolve();
  const queued = <T>(call: () => T | Promise<T>): Promise<T> => {
    const result = tail.then(call);
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    mode: 'async',
    changes,
    ...asyncCalls(inner, queued),
    transaction: (work) => queued(() => transactionOver(inner, changes, work)),
    close: () => queued(() => undefined),
  };
}

/** Inside a transaction (the driver held): calls go straight to the inner driver, still asynchronously. */
async function transactionOver<T>(
  inner: MemoryDriver,
  changes: ChangeListeners,
  work: (tx: TaskStoreDriver) => Steps<T>,
): Promise<T> {
  const before = inner.snapshot();
  const tx: TaskStoreDriver = {
    mode: 'async',
    changes,
    ...asyncCalls(inner, (call) => Promise.resolve().then(call)),
    transaction: (nested) => transactionOver(inner, changes, nested),
    close: () => Promise.resolve(),
  };
  try {
    return await runAsync(work(tx));
  } catch (error) {
    inner.restore(before);
    throw error;
  }
}

/** Each data method of `inner`, returning a promise through `schedule`. */
function asyncCalls(
  inner: MemoryDriver,
  schedule: <T>(call: () => T) => Promise<T>,
): Pick<TaskStoreDriver, (typeof DRIVER_CALLS)[number]> {
  const calls: Record<string, unknown> = {};
  for (const name of DRIVER_CALLS) {
    const method = inner[name] as (...args: unknown[]) => unknown;
    calls[name] = (...args: unknown[]) => schedule(() => method.apply(inner, args));
  }
  return calls as unknown as Pick<TaskStoreDriver, (typeof DRIVER_CALLS)[number]>;
}
