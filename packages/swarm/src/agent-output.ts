import type { TokenUsage } from '@omc/core';

/** An agent's return value, checked: what to record, or why the attempt fails. @internal */
export type NormalisedOutput =
  | { ok: true; result?: string; usage?: TokenUsage; costUsd?: number }
  | { ok: false; error: string };

const EMPTY: NormalisedOutput = Object.freeze({ ok: true });

/**
 * A string is the result; `undefined` is no result; `{ result, usage, costUsd }` is the result plus
 * statistics. Anything else fails the attempt with a message saying what to return instead.
 * @internal
 */
export function normaliseOutput(agentName: string, output: unknown): NormalisedOutput {
  if (output === undefined || output === null) return EMPTY;
  if (typeof output === 'string') return { ok: true, result: output };
  if (typeof output !== 'object' || Array.isArray(output)) {
    return {
      ok: false,
      error: `Agent ${agentName} returned ${Array.isArray(output) ? 'an array' : `a ${typeof output}`}; return a string, undefined or { result, usage, costUsd }.`,
    };
  }
  const raw = output as Record<string, unknown>;
  if (raw.result !== undefined && raw.result !== null && typeof raw.result !== 'string') {
    return {
      ok: false,
      error: `Agent ${agentName} returned a result that is ${typeof raw.result}, not a string; serialise it (e.g. JSON.stringify) before returning it.`,
    };
  }
  const normalised: NormalisedOutput = { ok: true };
  if (typeof raw.result === 'string') normalised.result = raw.result;
  const usage = raw.usage as Partial<TokenUsage> | undefined;
  if (usage && typeof usage === 'object') {
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
    const inputTokens = n(usage.inputTokens);
    const outputTokens = n(usage.outputTokens);
    const totalTokens = usage.totalTokens === undefined ? inputTokens + outputTokens : n(usage.totalTokens);
    normalised.usage = { inputTokens, outputTokens, totalTokens };
  }
  if (typeof raw.costUsd === 'number' && Number.isFinite(raw.costUsd) && raw.costUsd >= 0) {
    normalised.costUsd = raw.costUsd;
  }
  return normalised;
}

/** The text recorded as an attempt's error for whatever an agent threw. @internal */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) {
    const message = thrown.message || '(no message)';
    // `TypeError: x is not a function` says more than the message alone; a plain `Error:` adds nothing.
    return thrown.name && thrown.name !== 'Error' ? `${thrown.name}: ${message}` : message;
  }
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null) {
    try {
      const json = JSON.stringify(thrown);
      if (json !== undefined && json !== '{}') return json;
    } catch {
      // circular: fall through
    }
  }
  return String(thrown);
}
