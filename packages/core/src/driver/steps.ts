import { StorageError } from '../errors.js';
import type { MaybePromise } from '../task-store.js';
import type { TaskStoreDriver } from './task-store-driver.js';

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
 * What store logic yields once an operation's input is checked and its storage work begins: the runner
 * calls the driver's `beforeOperation` (read-only refusal, health checks) and, from then on, turns any
 * error through the driver's `translateError` into a typed one naming the operation and task. A marker
 * the runner handles, rather than a wrapping generator, because every generator level costs on the hot
 * path.
 */
export class OperationStart {
  constructor(
    readonly operation: string,
    readonly taskId: string | undefined,
  ) {}
}

/** The hooks of a driver a runner calls around an operation. */
export type OperationHooks = Pick<TaskStoreDriver, 'beforeOperation' | 'translateError'>;

function translated(error: unknown, started: OperationStart | undefined, hooks: OperationHooks | undefined): unknown {
  return started && hooks?.translateError ? hooks.translateError(error, started.operation, started.taskId) : error;
}

/**
 * Run store logic over a synchronous driver: each yielded value is handed straight back. A promise is
 * refused (a synchronous store over an asynchronous driver would hand promises to its callers as data).
 * With `hooks`, an {@link OperationStart} yielded by the logic calls `beforeOperation`, and errors from
 * then on are translated.
 *
 * ### Examples
 * ```ts
 * const title = runSync(readTitle(memoryDriver, id));
 * ```
 */
export function runSync<T>(steps: Steps<T>, hooks?: OperationHooks): T {
  let started: OperationStart | undefined;
  try {
    let next = steps.next();
    while (!next.done) {
      const value = next.value;
      if (value instanceof OperationStart) {
        started = value;
        try {
          hooks?.beforeOperation?.(value.operation, value.taskId);
        } catch (error) {
          next = steps.throw(error);
          continue;
        }
        next = steps.next(undefined);
        continue;
      }
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
  } catch (error) {
    throw translated(error, started, hooks);
  }
}

/**
 * Run store logic over an asynchronous driver: each yielded promise is awaited, its value or its error
 * handed back into the logic (so `try`/`catch` around a step works as in synchronous code). `hooks` as
 * for {@link runSync}.
 *
 * ### Examples
 * ```ts
 * const title = await runAsync(readTitle(postgresDriver, id));
 * ```
 */
export async function runAsync<T>(steps: Steps<T>, hooks?: OperationHooks): Promise<T> {
  let started: OperationStart | undefined;
  try {
    let next = steps.next();
    while (!next.done) {
      let value: unknown;
      try {
        if (next.value instanceof OperationStart) {
          started = next.value;
          hooks?.beforeOperation?.(started.operation, started.taskId);
          value = undefined;
        } else {
          value = await next.value;
        }
      } catch (error) {
        next = steps.throw(error);
        continue;
      }
      next = steps.next(value);
    }
    return next.value;
  } catch (error) {
    throw translated(error, started, hooks);
  }
}
