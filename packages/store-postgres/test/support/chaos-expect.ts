/** The assertion every chaos test makes on a scenario's result. */
import { expect } from 'vitest';
import type { ScenarioResult } from './chaos-scenarios.js';

/** A short account of a run, printed by the tests (what the table of chaos/run.ts shows for one row). */
export function describeResult(r: ScenarioResult): string {
  const errors = Object.entries(r.errors).map(([code, n]) => `${code} ×${n}`);
  return [
    `${r.scenario}: ${r.tasks} tasks, lost ${r.lost}, twice ${r.twice}, stranded ${r.stranded}`,
    `${r.before} tasks/s before, ${r.after} during-after`,
    `${r.kills} kills, ${r.reclaimed} leases reclaimed, ${r.refused} stale completions refused, ${r.readBack} read back`,
    ...(errors.length ? [`errors retried: ${errors.join(', ')}`] : []),
    ...r.notes,
  ].join('; ');
}

/**
 * Every task completed exactly once, nothing else broke a promise: no violation, no worker that gave up,
 * and every error the workers met was typed (an omc code: the pool reports faults, it never leaks the
 * driver's raw errors).
 */
export function expectExactlyOnce(r: ScenarioResult): void {
  console.info(describeResult(r));
  expect(r.failures, 'workers that exited on their own (stuck, hung or crashed)').toEqual([]);
  expect(r.violations.slice(0, 20), `${r.violations.length} violations`).toEqual([]);
  expect({ lost: r.lost, twice: r.twice, stranded: r.stranded }).toEqual({ lost: 0, twice: 0, stranded: 0 });
  const untyped = Object.keys(r.errors).filter((code) => !code.startsWith('OMC_'));
  expect(untyped, 'errors that reached the workers without an omc code').toEqual([]);
}
