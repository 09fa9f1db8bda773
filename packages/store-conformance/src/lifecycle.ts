import { TaskStatus, type TaskStore } from '@omc/core';
import { describe, expect, it } from 'vitest';
import { expectOmcError, taskInput, useStore } from './harness.js';
import { itNeeding } from './skips.js';
import type { ConformanceCapability, ConformanceTarget } from './target.js';

/** Every method of the contract except close, called with otherwise valid arguments. */
const OPERATIONS: readonly (readonly [
  name: string,
  call: (store: TaskStore, id: string) => unknown,
  needs?: readonly ConformanceCapability[],
])[] = [
  ['createTask', (store) => store.createTask(taskInput('late'))],
  ['createTasks', (store) => store.createTasks([taskInput('late')])],
  ['claimTask', (store) => store.claimTask('agent-1')],
  ['claimTasks', (store) => store.claimTasks('agent-1', 5), ['batchClaims']],
  [
    'claimTask with capabilities',
    (store) => store.claimTask('agent-1', { capabilities: ['code'] }),
    ['capabilityRouting'],
  ],
  ['getTask', (store, id) => store.getTask(id)],
  ['updateTask', (store, id) => store.updateTask(id, { status: TaskStatus.CANCELLED })],
  ['getTasks', (store) => store.getTasks()],
  ['getStats', (store) => store.getStats()],
  ['deleteTask', (store, id) => store.deleteTask(id)],
  ['clearAll', (store) => store.clearAll()],
  ['startTask', (store, id) => store.startTask({ id, leaseToken: 1 })],
  ['startTasks', (store, id) => store.startTasks([{ id, leaseToken: 1 }]), ['groupedWrites']],
  ['startTasks (empty)', (store) => store.startTasks([]), ['groupedWrites']],
  ['heartbeat', (store, id) => store.heartbeat({ id, leaseToken: 1 })],
  ['completeTask', (store, id) => store.completeTask({ id, leaseToken: 1 }, 'late')],
  [
    'completeTasks',
    (store, id) => store.completeTasks([{ lease: { id, leaseToken: 1 }, result: 'late' }]),
    ['groupedWrites'],
  ],
  ['completeTasks (empty)', (store) => store.completeTasks([]), ['groupedWrites']],
  ['failTask', (store, id) => store.failTask({ id, leaseToken: 1 }, 'late')],
  ['releaseTask', (store, id) => store.releaseTask({ id, leaseToken: 1 })],
  ['cancelTask', (store, id) => store.cancelTask(id)],
  ['retryTask', (store, id) => store.retryTask(id)],
  ['reclaimExpired', (store) => store.reclaimExpired()],
  ['getTaskHistory', (store, id) => store.getTaskHistory(id)],
  ['onChange', (store) => store.onChange(() => {}), ['changeSignal']],
];

/** @internal `close()`: later calls are refused with `OMC_STORE_CLOSED`, and closing twice is harmless. */
export function describeLifecycle(target: ConformanceTarget): void {
  describe(`${target.name}: close`, () => {
    const ctx = useStore(target);

    for (const [name, call, needs = []] of OPERATIONS) {
      itNeeding(target, needs, `refuses ${name} after close() with OMC_STORE_CLOSED`, async () => {
        const task = await ctx.store.createTask(taskInput(1));
        // Claimed, so the lease { id, leaseToken: 1 } the fenced writes send would be the current one.
        await ctx.store.claimTask('agent-1');
        await ctx.store.close();
        await expectOmcError(() => call(ctx.store, task.id), 'OMC_STORE_CLOSED');
      });
    }

    it('accepts close() twice', async () => {
      await ctx.store.close();
      await expect((async () => ctx.store.close())()).resolves.toBeUndefined();
    });
  });
}
