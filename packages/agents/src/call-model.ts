import { ModelCallError, ModelTimeoutError } from './errors.js';
import type { SupportedLanguageModel } from './language-model.js';
import { generateV2 } from './language-model-v2-adapter.js';
import { generateV3 } from './language-model-v3-adapter.js';
import { generateV4 } from './language-model-v4-adapter.js';
import type { ModelAnswer, ModelRequest } from './model-request.js';
import { sleep } from './sleep.js';

/** One adapter per specification version: our request in, the text, usage and finish reason out. */
const ADAPTERS = { v2: generateV2, v3: generateV3, v4: generateV4 } as const;

/** Wait before the first retry of a retryable failure, doubled before each next one. */
const FIRST_RETRY_DELAY_MS = 500;

/** How one call is run. @internal */
export interface CallPolicy {
  /** For the errors; none outside a swarm. */
  taskId: string | undefined;
  /** The model's label, for the errors. */
  label: string;
  /** Each request's own limit. */
  timeoutMs: number;
  /** Further requests after a failure the provider marks retryable (`isRetryable`, as on APICallError). */
  maxRetries: number;
  /** The caller's signal (the swarm's); aborting it rejects with its reason. */
  signal: AbortSignal | undefined;
}

/**
 * Ask the model through its specification's adapter, retrying retryable failures with a short backoff
 * (as the AI SDK's `generateText` does). A request that runs past `timeoutMs` is aborted and rejects with
 * {@link ModelTimeoutError}, not retried: a server that hangs once is not asked again inside this attempt.
 * @internal
 */
export async function callModel(
  model: SupportedLanguageModel,
  request: Omit<ModelRequest, 'abortSignal'>,
  policy: CallPolicy,
): Promise<ModelAnswer> {
  for (let retry = 0; ; retry++) {
    try {
      return await requestOnce(model, request, policy);
    } catch (error) {
      if (policy.signal?.aborted) throw policy.signal.reason;
      if (ModelTimeoutError.isInstance(error)) throw error;
      if (retry >= policy.maxRetries || !isRetryable(error)) {
        throw new ModelCallError(policy.taskId, policy.label, error);
      }
    }
    await sleep(FIRST_RETRY_DELAY_MS * 2 ** retry, policy.signal);
  }
}

/** One request, aborted by the caller's signal or by its timeout, whichever comes first. */
async function requestOnce(
  model: SupportedLanguageModel,
  request: Omit<ModelRequest, 'abortSignal'>,
  policy: CallPolicy,
): Promise<ModelAnswer> {
  policy.signal?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new ModelTimeoutError(policy.taskId, policy.label, policy.timeoutMs));
  }, policy.timeoutMs);
  const forward = () => controller.abort(policy.signal?.reason);
  policy.signal?.addEventListener('abort', forward, { once: true });
  // A model that ignores its abort signal must not hold the attempt: the abort settles the call itself.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    const answer = ADAPTERS[model.specificationVersion](model, { ...request, abortSignal: controller.signal });
    answer.catch(() => {}); // once the abort has won, the model's own rejection has no one left to hear it
    return await Promise.race([answer, aborted]);
  } catch (error) {
    throw timedOut ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    policy.signal?.removeEventListener('abort', forward);
  }
}

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { isRetryable?: unknown }).isRetryable === true;
}
