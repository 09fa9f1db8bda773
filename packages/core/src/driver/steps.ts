import { StorageError } from '../errors.js';
import type { MaybePromise } from '../task-store.js';

/**
 * Store logic written once for synchronous and asynchronous drivers: a generator that yields each
 * driver call's result (a value or a promise) and is handed back the value. {@link runSync} runs it over
 * a synchronous driver and returns a plain value; {@link runAsync} awaits each step and returns a
 * promise. The technique is Babel's `gensync`.
 */
export type Steps<T> = Generator<unknown, T, unknown>;

/**
 * One driver call inside store logic: `const row = yield* step(driver.getTask(id))` is typed as the
 * call's value whether the driver is synchronous or not.
 *
 * ### Examples
 * ```ts
 * function* title(driver: TaskStoreDriver, id: string): Steps<string | undefined> {
 *   const stored = yield* step(driver.getTask(id));
 *   return stored?.task.title;
 * }
 * ```
 */
export function* step<T>(value: MaybePromise<T>): Generator<MaybePromise<T>, T, unknown> {
  return (yield value) as T;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Run store logic over a synchronous driver: each yielded value is handed straight back. A promise is
 * refused (a synchronous store over an asynchronous driver would hand promises to its callers as data).
 *
 * ### Examples
 * ```ts
 * const title = runSync(readTitle(memoryDriver, id));
 * ```
 */
export function runSync<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) {
    const value = next.value;
    if (isThenable(value)) {
      // Settle the generator (its finally blocks) before refusing.
      steps.return(undefined as T);
      throw new StorageError(
        'A synchronous store was given a driver call that returned a promise: construct the store in async mode for an asynchronous driver.',
      );
    }
    next = steps.next(value);
  }
  return next.value;
}

/**
 * Run store logic over an asynchronous driver: each yielded promise is awaited, its value or its error
 * handed back into the logic (so `try`/`catch` around a step works as in synchronous code).
 *
 * ### Examples
 * ```ts
 * const title = await runAsync(readTitle(postgresDriver, id));
 * ```
 */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = await next.value;
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(value);
  }
  return next.value;
}
