/**
 * Task inputs and benchmark sizes, scaled by `BENCH_SCALE`.
 *
 * @module
 */

/**
 * `count` task inputs numbered from `from`, priorities cycling 0–3, with a little metadata.
 *
 * @param {number} count
 * @param {number} [from]
 * @returns {import('./subject.mjs').TaskInput[]}
 */
export function makeInputs(count, from = 0) {
  const inputs = new Array(count);
  for (let i = 0; i < count; i++) {
    const n = from + i;
    inputs[i] = {
      title: `Benchmark task ${n}`,
      description: `Task number ${n} created by the omc benchmark`,
      priority: /** @type {0 | 1 | 2 | 3} */ (n % 4),
      metadata: { n, source: 'bench' },
    };
  }
  return inputs;
}

/**
 * A count with thousands separators.
 *
 * @param {number} n
 * @returns {string}
 */
export const fmtCount = (n) => n.toLocaleString('en-US');

/**
 * Split `items` into chunks of `size`.
 *
 * @template T
 * @param {T[]} items
 * @param {number} size
 * @returns {T[][]}
 */
export function chunk(items, size) {
  const chunks = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Every size the workloads use. The guide's benchmark is defined at 1 000 tasks and 10 agents and is never
 * scaled; the rest is multiplied by `scale` with a floor so small runs still mean something.
 *
 * @param {number} scale
 */
export function benchSizes(scale) {
  /** @param {number} n @param {number} min */
  const scaled = (n, min) => Math.max(min, Math.round(n * scale));
  return {
    guideTasks: 1000,
    guideAgents: 10,
    singleCreates: scaled(10_000, 200),
    batchCreates: scaled(100_000, 2_000),
    batchSize: 1000,
    cycleTasks: scaled(20_000, 500),
    swarmTasks: scaled(40_000, 1_000),
    latencyClaims: scaled(2_000, 200),
    latencyPending: [1_000, scaled(100_000, 2_000), scaled(1_000_000, 10_000)],
  };
}

/** @typedef {ReturnType<typeof benchSizes>} BenchSizes */
