// The model-based suite against the reference store itself: two MemoryTaskStores given the same steps
// must agree exactly (the reference is deterministic on a FakeClock and a seeded random), and a store
// that differs in one rule is caught and shrunk to a short, readable sequence (the harness works).
import { describe, expect, it } from 'vitest';
import { describeModelFuzz, runModelFuzz } from '../../store-conformance/src/index.js';
import type { TaskStats } from '../src/index.js';
import { MemoryTaskStore } from '../src/testing.js';

describeModelFuzz({ name: 'MemoryTaskStore', createStore: (options) => new MemoryTaskStore(options) }, { runs: 3000 });

/** A store with one planted bug: its stats count cancelled tasks as failed. */
class MiscountingStore extends MemoryTaskStore {
  override getStats(): TaskStats {
    const stats = super.getStats();
    return { ...stats, failed: stats.failed + stats.cancelled, cancelled: 0 };
  }
}

describe('model-based fuzz: the harness', () => {
  it('finds a planted divergence and prints the shrunk sequence with the seed', async () => {
    const failure = await runModelFuzz(
      { name: 'MiscountingStore', createStore: (options) => new MiscountingStore(options) },
      { runs: 300, seed: 42 },
    ).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure, 'the planted bug went unnoticed').toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toContain('seed: 42');
    expect(message).toContain('The target diverged from MemoryTaskStore');
    expect(message).toMatch(/cancelTask\(task#\d+\)/);
    expect(message).toContain('at .stats.cancelled: reference 1, target 0');
    expect(message).toMatch(/Steps \(tasks named T<n> by creation order\):\n\s+1\. createTask/);
  }, 60_000);
});
