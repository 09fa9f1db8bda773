import {
  DEFAULT_LEASE_POLICY,
  TASK_PRIORITIES,
  TASK_STORE_SPECIFICATION_VERSION,
  TaskPriority,
  TaskStatus,
} from '@omc/core';
import { describe, expect, it } from 'vitest';
import { mustGet, START, taskInput, UUID_PATTERN, useStore } from './harness.js';
import { itNeeding } from './skips.js';
import type { ConformanceTarget } from './target.js';

/** The camelCase fields of a task; a store leaking its column names (assigned_agent…) fails the key check. */
const TASK_KEYS = [
  'assignedAgent',
  'attempts',
  'completedAt',
  'createdAt',
  'dependsOn',
  'description',
  'error',
  'id',
  'idempotencyKey',
  'leaseExpiresAt',
  'leaseMs',
  'leaseToken',
  'maxAttempts',
  'metadata',
  'priority',
  'requires',
  'result',
  'runAt',
  'startedAt',
  'status',
  'timeoutMs',
  'title',
  'updatedAt',
];

/** Metadata exercising what a naive serialiser gets wrong: nesting, arrays, unicode, escapes, falsy values. */
function richMetadata() {
  return {
    reportType: 'sales',
    recipients: ['team@example.com', 'ops@example.com'],
    nested: { deeper: { list: [1, [2, 3], { four: 4 }], empty: {}, none: null } },
    unicode: 'héllo wörld — 你好 🚀 ﷺ e\u0301',
    escapes: 'quote " backslash \\ newline \n tab \t',
    numbers: { zero: 0, negative: -12.5, big: 9_007_199_254_740_991 },
    flags: { yes: true, no: false },
    emptyString: '',
  };
}

/** @internal Create, read, update and delete by id; the task's shape, defaults and copy semantics. */
export function describeCrud(target: ConformanceTarget): void {
  describe(`${target.name}: tasks and their shape`, () => {
    const ctx = useStore(target);

    it('uses the guide enum values', () => {
      expect(TaskStatus).toEqual({
        PENDING: 'pending',
        CLAIMED: 'claimed',
        IN_PROGRESS: 'in_progress',
        COMPLETED: 'completed',
        FAILED: 'failed',
        CANCELLED: 'cancelled',
      });
      expect(TaskPriority).toEqual({ LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 });
    });

    it('implements contract v3 and starts empty', async () => {
      expect(TASK_STORE_SPECIFICATION_VERSION).toBe('v3');
      expect(ctx.store.specificationVersion).toBe(TASK_STORE_SPECIFICATION_VERSION);
      expect(await ctx.store.getTasks()).toEqual([]);
      expect((await ctx.store.getStats()).total).toBe(0);
    });

    it('creates a PENDING task with a UUID, camelCase fields and timestamps from the clock', async () => {
      const task = await ctx.store.createTask(taskInput(1, { priority: TaskPriority.HIGH }));
      expect(task.id).toMatch(UUID_PATTERN);
      expect(task).toMatchObject({ title: 'Task 1', description: 'Work item 1', status: 'pending', priority: 2 });
      // START is far from Date.now(): equality proves the injected clock was used, in epoch milliseconds.
      expect(task.createdAt).toBe(START);
      expect(task.updatedAt).toBe(START);
      // No attempt yet, no claim (fencing token 0), the store's default attempts, and no lease settings.
      expect(task).toMatchObject({ attempts: 0, leaseToken: 0, maxAttempts: DEFAULT_LEASE_POLICY.maxAttempts });
      const absent = ['assignedAgent', 'startedAt', 'completedAt', 'result', 'error', 'metadata'] as const;
      const noLease = ['runAt', 'leaseExpiresAt', 'leaseMs', 'timeoutMs', 'idempotencyKey'] as const;
      const noRouting = ['requires', 'dependsOn'] as const;
      for (const key of [...absent, ...noLease, ...noRouting]) {
        expect(task[key], key).toBeUndefined();
      }
      const stored = await mustGet(ctx.store, task.id);
      expect(Object.keys(stored).filter((key) => !TASK_KEYS.includes(key))).toEqual([]);
      expect(stored).toEqual(task);
    });

    itNeeding(target, ['idempotencyKeys'], 'stores the lease settings a task is created with', async () => {
      const input = taskInput(1, { maxAttempts: 7, leaseMs: 45_000, timeoutMs: 600_000, idempotencyKey: 'job-1' });
      const task = await ctx.store.createTask(input);
      const settings = { maxAttempts: 7, leaseMs: 45_000, timeoutMs: 600_000, idempotencyKey: 'job-1', attempts: 0 };
      expect(task).toMatchObject(settings);
      expect(await mustGet(ctx.store, task.id)).toEqual(task);
    });

    it('gives every task a distinct id', async () => {
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) => ctx.store.createTask(taskInput(i))));
      expect(new Set(created.map((task) => task.id)).size).toBe(20);
    });

    it('defaults priority to MEDIUM and keeps LOW (0) as LOW', async () => {
      const plain = await ctx.store.createTask(taskInput('plain'));
      const low = await ctx.store.createTask(taskInput('low', { priority: TaskPriority.LOW }));
      expect(plain.priority).toBe(TaskPriority.MEDIUM);
      expect(low.priority).toBe(TaskPriority.LOW);
      expect((await mustGet(ctx.store, low.id)).priority).toBe(TaskPriority.LOW);
    });

    it('stores every priority as given', async () => {
      for (const priority of TASK_PRIORITIES) {
        const task = await ctx.store.createTask(taskInput(priority, { priority }));
        expect((await mustGet(ctx.store, task.id)).priority).toBe(priority);
      }
    });

    it('round-trips metadata: nested objects, arrays, unicode, escapes, falsy values', async () => {
      const task = await ctx.store.createTask(taskInput(1, { metadata: richMetadata() }));
      expect(task.metadata).toEqual(richMetadata());
      expect((await mustGet(ctx.store, task.id)).metadata).toEqual(richMetadata());
      const empty = await ctx.store.createTask(taskInput(2, { metadata: {} }));
      expect((await mustGet(ctx.store, empty.id)).metadata).toEqual({});
    });

    it('returns copies: mutating a returned task or its metadata does not change the store', async () => {
      const created = await ctx.store.createTask(taskInput(1, { metadata: richMetadata() }));
      created.title = 'changed';
      (created.metadata as { nested: { deeper: { list: unknown[] } } }).nested.deeper.list.push('intruder');
      const read = await mustGet(ctx.store, created.id);
      expect(read.title).toBe('Task 1');
      expect(read.metadata).toEqual(richMetadata());
      read.status = TaskStatus.COMPLETED;
      (read.metadata as Record<string, unknown>).reportType = 'changed';
      const [listed] = await ctx.store.getTasks();
      expect(listed?.status).toBe(TaskStatus.PENDING);
      expect(listed?.metadata).toEqual(richMetadata());
    });

    it('does not keep a reference to the caller’s metadata object', async () => {
      const metadata = richMetadata();
      const task = await ctx.store.createTask(taskInput(1, { metadata }));
      metadata.recipients.push('late@example.com');
      const update = { attempts: 1, tags: ['a'] };
      await ctx.store.updateTask(task.id, { metadata: update });
      update.tags.push('late');
      expect((await mustGet(ctx.store, task.id)).metadata).toEqual({ attempts: 1, tags: ['a'] });
    });

    it('updates metadata by replacing the whole object', async () => {
      const task = await ctx.store.createTask(taskInput(1, { metadata: { a: 1, b: 2 } }));
      const updated = await ctx.store.updateTask(task.id, { metadata: { ...task.metadata, b: 3, attempts: 2 } });
      expect(updated?.metadata).toEqual({ a: 1, b: 3, attempts: 2 });
      await ctx.store.updateTask(task.id, { metadata: { only: true } });
      expect((await mustGet(ctx.store, task.id)).metadata).toEqual({ only: true });
    });

    it('leaves metadata alone when an update does not mention it', async () => {
      const task = await ctx.store.createTask(taskInput(1, { metadata: { keep: 'me' } }));
      await ctx.store.updateTask(task.id, { status: TaskStatus.CANCELLED });
      expect((await mustGet(ctx.store, task.id)).metadata).toEqual({ keep: 'me' });
    });

    it('returns null from getTask and updateTask for a missing id', async () => {
      await ctx.store.createTask(taskInput(1));
      const missing = '00000000-0000-4000-8000-000000000000';
      expect(await ctx.store.getTask(missing)).toBeNull();
      expect(await ctx.store.updateTask(missing, { status: TaskStatus.CANCELLED })).toBeNull();
      expect(await ctx.store.getTask('not-a-uuid')).toBeNull();
      expect((await ctx.store.getStats()).total).toBe(1);
    });

    it('deletes a task once: true, then false', async () => {
      const task = await ctx.store.createTask(taskInput(1));
      const other = await ctx.store.createTask(taskInput(2));
      expect(await ctx.store.deleteTask(task.id)).toBe(true);
      expect(await ctx.store.getTask(task.id)).toBeNull();
      expect(await ctx.store.deleteTask(task.id)).toBe(false);
      expect(await mustGet(ctx.store, other.id)).toEqual(other);
    });

    it('clears every task and stays usable', async () => {
      for (let i = 0; i < 5; i++) await ctx.store.createTask(taskInput(i));
      await ctx.store.clearAll();
      expect(await ctx.store.getTasks()).toEqual([]);
      const task = await ctx.store.createTask(taskInput('after'));
      expect(await ctx.store.getTasks()).toEqual([task]);
    });
  });
}
