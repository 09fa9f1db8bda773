/**
 * Capability flags and a missing backdoor: the suite, run on the reference store declared without
 * dependencies and grouped writes and with no backdoor, registers those tests as skipped, each title naming
 * what the target lacks, runs the rest, and prints one summary line.
 */
import { MemoryTaskStore } from '@omc/core/testing';
import { afterAll, describe, expect, it, type RunnerTestSuite, vi } from 'vitest';
import { runTaskStoreConformance } from '../src/index.js';

const NAME = 'MemoryTaskStore (no dependencies, no grouped writes)';
const info = vi.spyOn(console, 'info');
runTaskStoreConformance({
  name: NAME,
  createStore: (options) => new MemoryTaskStore(options),
  capabilities: { dependencies: false, groupedWrites: false },
});
// The suite prints its summary before the first test, once vitest has collected every describe() body.
const summaries = () => info.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith(NAME));
afterAll(() => info.mockRestore());

/** Every suite and test registered in this file, by full name (`describe > it`), with its mode. */
function registered(suite: { tasks: RunnerTestSuite['tasks'] }, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const task of suite.tasks) {
    const name = prefix ? `${prefix} > ${task.name}` : task.name;
    found.set(name, task.mode);
    if (task.type === 'suite') for (const [inner, mode] of registered(task, name)) found.set(inner, mode);
  }
  return found;
}

describe('capability flags', () => {
  it('registers a lacking capability’s describe as skipped, named with the capability', ({ task }) => {
    const modes = registered(task.file);
    const lacks = (capability: string) => `— skipped: target lacks capability "${capability}"`;
    expect(modes.get(`${NAME}: dependencies ${lacks('dependencies')}`)).toBe('skip');
    expect(modes.get(`${NAME}: startTasks and completeTasks ${lacks('groupedWrites')}`)).toBe('skip');
    expect(modes.has(`${NAME}: dependencies`)).toBe(false);
    // The tests of a skipped describe are registered too, and skipped with it.
    const cascade = `${NAME}: dependencies ${lacks('dependencies')} > cancels dependants, transitively, when a dependency is cancelled`;
    expect(modes.get(cascade)).toBe('skip');
    // Caller-chosen ids live beside dependencies but need none: they still run.
    expect(modes.get(`${NAME}: caller-chosen task ids`)).toBe('run');
  });

  it('skips single tests of other domains that use a lacking capability, and runs the rest', ({ task }) => {
    const modes = registered(task.file);
    const lacks = '— skipped: target lacks capability "groupedWrites"';
    expect(modes.get(`${NAME}: close > refuses startTasks after close() with OMC_STORE_CLOSED ${lacks}`)).toBe('skip');
    expect(modes.get(`${NAME}: close > refuses startTask after close() with OMC_STORE_CLOSED`)).toBe('run');
    expect(modes.get(`${NAME}: claimTasks`)).toBe('run');
    expect(
      modes.get(
        `${NAME}: input validation > changing the requires, dependsOn or metadata of a returned task changes nothing in the store`,
      ),
    ).toBeUndefined();
    expect(
      modes.get(
        `${NAME}: returned tasks are the caller's > changing the requires, dependsOn or metadata of a returned task changes nothing in the store — skipped: target lacks capability "dependencies"`,
      ),
    ).toBe('skip');
  });

  it('skips the stored-row checks of a target without a backdoor, saying so', ({ task }) => {
    const modes = registered(task.file);
    expect(modes.get(`${NAME}: what the store persisted — skipped: target has no backdoor`)).toBe('skip');
    expect(modes.has(`${NAME}: what the store persisted`)).toBe(false);
  });

  it('prints one line listing what was skipped, by what the target lacks', () => {
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]).toMatch(
      new RegExp(
        `^${NAME.replace(/[()]/g, '\\$&')}: conformance skipped what the target lacks: ` +
          '"dependencies" \\(1 describe and \\d+ tests?\\); "groupedWrites" \\(1 describe and \\d+ tests?\\); ' +
          'no backdoor \\(1 describe\\)$',
      ),
    );
  });
});
