import { beforeAll, describe, it } from 'vitest';
import { CONFORMANCE_CAPABILITIES, type ConformanceCapability, type ConformanceTarget } from './target.js';

/** What a target lacks that made the suite skip something: a capability, or the backdoor. */
type Lack = ConformanceCapability | 'backdoor';

/** Per target: what was skipped, by what it lacks, until the run's summary prints it. */
const skipped = new WeakMap<ConformanceTarget, Map<Lack, { describes: number; tests: number }>>();

/** @internal The capabilities of `needed` that `target` declares it lacks, in `needed`'s order. */
export function lacking(target: ConformanceTarget, needed: readonly ConformanceCapability[]): ConformanceCapability[] {
  return needed.filter((capability) => target.capabilities?.[capability] === false);
}

/** @internal The suffix of a skipped title: `— skipped: target lacks capability "x"` (or capabilities). */
export function skipReason(lacks: readonly ConformanceCapability[]): string {
  const names = lacks.map((capability) => `"${capability}"`).join(', ');
  return `— skipped: target lacks ${lacks.length === 1 ? 'capability' : 'capabilities'} ${names}`;
}

function record(target: ConformanceTarget, lacks: readonly Lack[], kind: 'describes' | 'tests'): void {
  let byLack = skipped.get(target);
  if (!byLack) {
    byLack = new Map();
    skipped.set(target, byLack);
  }
  for (const lack of lacks) {
    const counts = byLack.get(lack) ?? { describes: 0, tests: 0 };
    counts[kind]++;
    byLack.set(lack, counts);
  }
}

/**
 * @internal `describe(name, body)`, or, when `target` lacks one of `needed`, the same describe registered as
 * skipped with a title that names what it lacks.
 */
export function describeNeeding(
  target: ConformanceTarget,
  needed: readonly ConformanceCapability[],
  name: string,
  body: () => void,
): void {
  const lacks = lacking(target, needed);
  if (lacks.length === 0) {
    describe(name, body);
    return;
  }
  record(target, lacks, 'describes');
  describe.skip(`${name} ${skipReason(lacks)}`, body);
}

/** @internal `it(name, fn)`, or the same test registered as skipped, its title naming what the target lacks. */
export function itNeeding(
  target: ConformanceTarget,
  needed: readonly ConformanceCapability[],
  name: string,
  fn: () => Promise<void>,
  timeout?: number,
): void {
  const lacks = lacking(target, needed);
  if (lacks.length === 0) {
    it(name, fn, timeout);
    return;
  }
  record(target, lacks, 'tests');
  it.skip(`${name} ${skipReason(lacks)}`, fn, timeout);
}

/**
 * @internal `describe(name, body)` for tests that read the store past its API, or, for a target without a
 * backdoor, the describe skipped with a title that says so.
 */
export function describeWithBackdoor(target: ConformanceTarget, name: string, body: () => void): void {
  if (target.backdoor) {
    describe(name, body);
    return;
  }
  record(target, ['backdoor'], 'describes');
  describe.skip(`${name} — skipped: target has no backdoor`, body);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * @internal The one line saying what the registration of `target` skipped and why (`undefined`: nothing),
 * forgetting it. Counts are kept per target object: each registration passes its own copy.
 */
export function takeSkipSummary(target: ConformanceTarget): string | undefined {
  const byLack = skipped.get(target);
  skipped.delete(target);
  if (!byLack || byLack.size === 0) return undefined;
  const parts: string[] = [];
  for (const lack of [...CONFORMANCE_CAPABILITIES, 'backdoor'] as const) {
    const counts = byLack.get(lack);
    if (!counts) continue;
    const what = [
      counts.describes && plural(counts.describes, 'describe'),
      counts.tests && plural(counts.tests, 'test'),
    ]
      .filter(Boolean)
      .join(' and ');
    parts.push(lack === 'backdoor' ? `no backdoor (${what})` : `"${lack}" (${what})`);
  }
  return `${target.name}: conformance skipped what the target lacks: ${parts.join('; ')}`;
}

/**
 * @internal Print, once, what the registration of `target` skipped (nothing when nothing was). Call it at the
 * top level of the test file, after registering: vitest collects the bodies of describe() blocks later,
 * so the line is printed before the first test runs, once every skip is known.
 */
export function reportSkips(target: ConformanceTarget): void {
  beforeAll(() => {
    const summary = takeSkipSummary(target);
    if (summary) console.info(summary);
  });
}
