import {
  type ClaimOptions,
  type CreateTaskInput,
  InvalidInputError,
  type Task,
  TaskPriority,
  TaskStatus,
} from '@omc/core';
import { expect, it } from 'vitest';
import { expectRefusedInput, ids, mustGet, type StoreContext, taskInput, useStore } from './harness.js';
import { describeNeeding, itNeeding } from './skips.js';
import type { ConformanceTarget } from './target.js';

/** `requires` values createTask must refuse (field `requires`). */
const BAD_REQUIRES: readonly (readonly [name: string, value: unknown])[] = [
  ['a string', 'code'],
  ['null', null],
  ['an object', { code: true }],
  ['a number in the list', ['code', 7]],
  ['an empty name', ['code', '']],
  ['a blank name', ['   ']],
  ['a name of 65 characters', ['c'.repeat(65)]],
  ['33 names', Array.from({ length: 33 }, (_, i) => `cap-${i}`)],
];

/** Claim options claimTask and claimTasks must refuse. */
const BAD_OPTIONS: readonly (readonly [name: string, value: unknown])[] = [
  ['options that are a string', 'code'],
  ['options that are null', null],
  ['capabilities that are a string', { capabilities: 'code' }],
  ['capabilities with a number', { capabilities: ['code', 1] }],
  ['capabilities with an empty name', { capabilities: [''] }],
  ['exclusive that is not a boolean', { capabilities: ['code'], exclusive: 'yes' }],
  ['exclusive without capabilities', { exclusive: true }],
];

/** Claim with capabilities until nothing is left for them. */
async function claimAllWith(ctx: StoreContext, agent: string, options?: ClaimOptions): Promise<Task[]> {
  const claimed: Task[] = [];
  for (let task = await ctx.store.claimTask(agent, options); task; task = await ctx.store.claimTask(agent, options)) {
    claimed.push(task);
  }
  return claimed;
}

/** @internal Capability routing: a task's `requires`, a claim's `capabilities`. */
export function describeCapabilities(target: ConformanceTarget): void {
  describeNeeding(target, ['capabilityRouting'], `${target.name}: capabilities`, () => {
    const ctx = useStore(target);

    it('stores requires sorted and without duplicates, and an empty list as none', async () => {
      const task = await ctx.store.createTask(taskInput(1, { requires: ['test', 'code', 'test', 'review'] }));
      expect(task.requires).toEqual(['code', 'review', 'test']);
      expect((await mustGet(ctx.store, task.id)).requires).toEqual(['code', 'review', 'test']);
      const [batched, empty] = await ctx.store.createTasks([
        taskInput(2, { requires: ['b', 'a', 'a'] }),
        taskInput(3, { requires: [] }),
      ]);
      expect((await mustGet(ctx.store, batched?.id as string)).requires).toEqual(['a', 'b']);
      expect(empty?.requires).toBeUndefined();
      expect((await mustGet(ctx.store, empty?.id as string)).requires).toBeUndefined();
      expect((await ctx.store.createTask(taskInput(4))).requires).toBeUndefined();
    });

    it('accepts 32 names of 64 characters', async () => {
      const requires = Array.from({ length: 32 }, (_, i) => `${String(i).padStart(2, '0')}${'c'.repeat(62)}`);
      const task = await ctx.store.createTask(taskInput(1, { requires }));
      expect((await mustGet(ctx.store, task.id)).requires).toEqual(requires);
      expect((await ctx.store.claimTask('agent-1', { capabilities: requires }))?.id).toBe(task.id);
    });

    itNeeding(
      target,
      ['batchClaims'],
      'an exclusive claim takes only tasks that require something, all within its capabilities',
      async () => {
        const general = await ctx.store.createTask(taskInput(1, { priority: TaskPriority.CRITICAL }));
        const other = await ctx.store.createTask(taskInput(2, { requires: ['test'], priority: TaskPriority.HIGH }));
        const mine = await ctx.store.createTask(taskInput(3, { requires: ['run-42'] }));
        const options = { capabilities: ['run-42'], exclusive: true };
        const batch = await ctx.store.claimTasks('specialist', 10, options);
        expect(ids(batch)).toEqual([mine.id]);
        expect(await ctx.store.claimTask('specialist', options)).toBeNull();
        expect(await mustGet(ctx.store, general.id)).toEqual(general);
        expect(await mustGet(ctx.store, other.id)).toEqual(other);
        // Not exclusive: the general task (first in line) is claimable by the same capabilities.
        expect((await ctx.store.claimTask('generalist', { capabilities: ['run-42'], exclusive: false }))?.id).toBe(
          general.id,
        );
      },
    );

    it('claims a task only for an agent holding every capability it requires', async () => {
      const task = await ctx.store.createTask(taskInput(1, { requires: ['code', 'test'] }));
      expect(await ctx.store.claimTask('coder', { capabilities: ['code'] })).toBeNull();
      expect(await ctx.store.claimTask('tester', { capabilities: ['test', 'review'] })).toBeNull();
      expect(await ctx.store.claimTask('nobody', { capabilities: [] })).toBeNull();
      // Names are compared exactly.
      expect(await ctx.store.claimTask('shouty', { capabilities: ['CODE', 'TEST'] })).toBeNull();
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
      const claimed = await ctx.store.claimTask('both', { capabilities: ['review', 'test', 'code'] });
      expect(claimed).toMatchObject({ id: task.id, status: TaskStatus.CLAIMED, requires: ['code', 'test'] });
    });

    it('lets any agent claim a task that requires nothing', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      expect((await ctx.store.claimTask('nobody', { capabilities: [] }))?.id).toBe(task.id);
    });

    it('without capabilities (the guide’s claimTask(name)), claims any task', async () => {
      const task = await ctx.store.createTask(taskInput(1, { requires: ['gpu'] }));
      expect((await ctx.store.claimTask('plain'))?.id).toBe(task.id);
      const other = await ctx.store.createTask(taskInput(2, { requires: ['gpu'] }));
      expect((await ctx.store.claimTask('plain', {}))?.id).toBe(other.id);
    });

    it('keeps priority order within what the agent can do', async () => {
      const make = (n: string, priority: TaskPriority, requires?: string[]): CreateTaskInput =>
        taskInput(n, { priority, ...(requires ? { requires } : {}) });
      const [gpu, code, none, codeTest, review, lowNone] = await ctx.store.createTasks([
        make('gpu', TaskPriority.CRITICAL, ['gpu']),
        make('code', TaskPriority.HIGH, ['code']),
        make('none', TaskPriority.MEDIUM),
        make('code+test', TaskPriority.MEDIUM, ['code', 'test']),
        make('review', TaskPriority.CRITICAL, ['review']),
        make('low none', TaskPriority.LOW),
      ]);
      const claimed = await claimAllWith(ctx, 'dev', { capabilities: ['test', 'code'] });
      expect(ids(claimed)).toEqual(ids([code, none, codeTest, lowNone] as Task[]));
      expect(ids(await claimAllWith(ctx, 'reviewer', { capabilities: ['review'] }))).toEqual([review?.id]);
      expect(ids(await claimAllWith(ctx, 'renderer', { capabilities: ['gpu'] }))).toEqual([gpu?.id]);
    });

    it('keeps requires through a release and a retry', async () => {
      const task = await ctx.store.createTask(taskInput(1, { requires: ['code'] }));
      const held = await ctx.store.claimTask('dev', { capabilities: ['code'] });
      await ctx.store.releaseTask(held as Task);
      expect(await ctx.store.claimTask('other', { capabilities: ['test'] })).toBeNull();
      const again = await ctx.store.claimTask('dev', { capabilities: ['code'] });
      await ctx.store.failTask(again as Task, 'broken', { retry: false });
      await ctx.store.retryTask(task.id);
      expect((await mustGet(ctx.store, task.id)).requires).toEqual(['code']);
      expect(await ctx.store.claimTask('other', { capabilities: ['test'] })).toBeNull();
    });

    for (const [name, value] of BAD_REQUIRES) {
      it(`createTask refuses requires as ${name}, inserting nothing`, async () => {
        await ctx.store.createTask(taskInput('existing'));
        const error = await expectRefusedInput(ctx, () =>
          ctx.store.createTask(taskInput(1, { requires: value as string[] })),
        );
        expect(InvalidInputError.isInstance(error) && error.field).toBe('requires');
        await expectRefusedInput(ctx, () =>
          ctx.store.createTasks([taskInput(2), taskInput(3, { requires: value as string[] })]),
        );
      });
    }

    for (const [name, value] of BAD_OPTIONS) {
      itNeeding(target, ['batchClaims'], `claimTask and claimTasks refuse ${name}, claiming nothing`, async () => {
        const task = await ctx.store.createTask(taskInput(1));
        await expectRefusedInput(ctx, () => ctx.store.claimTask('agent-1', value as ClaimOptions));
        await expectRefusedInput(ctx, () => ctx.store.claimTasks('agent-1', 5, value as ClaimOptions));
        expect(await mustGet(ctx.store, task.id)).toEqual(task);
      });
    }
  });
}
