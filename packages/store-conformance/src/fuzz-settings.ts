/**
 * How much the property-based and model-based suites generate, and from which seed. CI runs a fixed seed
 * of modest size so a red run replays exactly; `pnpm fuzz` raises the runs and picks a fresh seed, and
 * prints it, so a failure found there replays with `OMC_FUZZ_SEED=<seed>`.
 */
export interface FuzzSettings {
  /** fast-check's seed: the same seed and runs generate the same cases. */
  readonly seed: number;
  /** fast-check's `numRuns` for a suite. */
  readonly numRuns: number;
}

/** The seed CI uses when `OMC_FUZZ_SEED` is not set: fixed, so a CI failure replays on any machine. */
export const DEFAULT_FUZZ_SEED = 20_261_203;

function integerFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}.`);
  return value;
}

/**
 * The settings for one suite: `OMC_FUZZ_SEED` or the fixed CI seed, and `OMC_FUZZ_RUNS` or the suite's
 * CI-sized `defaultRuns`.
 *
 * ### Examples
 * ```ts
 * const { seed, numRuns } = fuzzSettings(200);
 * fc.assert(property, { seed, numRuns });
 * ```
 */
export function fuzzSettings(defaultRuns: number): FuzzSettings {
  const runs = integerFromEnv('OMC_FUZZ_RUNS');
  if (runs !== undefined && runs < 1) throw new Error(`OMC_FUZZ_RUNS must be at least 1, got ${runs}.`);
  return { seed: integerFromEnv('OMC_FUZZ_SEED') ?? DEFAULT_FUZZ_SEED, numRuns: runs ?? defaultRuns };
}
