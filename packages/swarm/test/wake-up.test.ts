import { describe, expect, it } from 'vitest';
import { Swarm } from '../src/index.js';
import { memoryStore, noop } from './helpers.js';

describe('wake-up', () => {
  it('an idle swarm picks up a task created in the same process at once (pollInterval 60 s)', async () => {
    const store = memoryStore();
    const swarm = new Swarm(store);
    for (let i = 0; i < 3; i++) swarm.registerAgent(noop());
    let idle = 0;
    const allIdle = new Promise<void>((resolve) =>
      swarm.on('agent:idle', () => {
        if (++idle === 3) resolve();
      }),
    );
    const run = swarm.start({ pollInterval: 60_000 });
    await allIdle;
    const done = new Promise<number>((resolve) => swarm.on('task:completed', () => resolve(performance.now())));
    const created = performance.now();
    store.createTask({ title: 'wake up', description: 'x' });
    // Without the store's change signal this would wait a minute for the next poll (and the test time out).
    const completedAt = await done;
    expect(completedAt - created).toBeLessThan(1_000);
    await swarm.stop();
    expect((await run).completed).toBe(1);
  });
});
