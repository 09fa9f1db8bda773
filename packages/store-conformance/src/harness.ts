import {
  type CreateTaskInput,
  type LeaseLossReason,
  LeaseLostError,
  OmcError,
  type OmcErrorCode,
  type Task,
  TaskStatus,
  type TaskStore,
  type TaskTransition,
} from '@omc/core';
import { FakeClock } from '@omc/core/testing';
import { afterEach, beforeEach, expect } from 'vitest';
import type { ConformanceBackdoor, ConformanceStoreOptions, ConformanceTarget } from './target.js';

/** @internal Where every test's clock starts: a round value, far from `Date.now()`, so a store reading the wall clock fails. */
export const START = Date.UTC(2026, 0, 1, 12);

/** @internal An RFC 4122 UUID, any version. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** @internal The store and clock of the running test. */
export interface StoreContext {
  readonly store: TaskStore;
  readonly clock: FakeClock;
  /** The target's reader of what this store persisted; throws for a target without one. */
  readonly backdoor: ConformanceBackdoor;
}

/**
 * @internal Give each test of the enclosing describe() a fresh store on a fresh `FakeClock`, closed afterwards,
 * created with `options` (limits, lease and retry settings). The returned object's getters read the current
 * test's store, so tests use it as `ctx.store`.
 */
export function useStore(
  target: ConformanceTarget,
  options: Omit<ConformanceStoreOptions, 'clock'> = {},
): StoreContext {
  let current: { store: TaskStore; clock: FakeClock; backdoor: ConformanceBackdoor | undefined } | undefined;
  beforeEach(async () => {
    const clock = new FakeClock(START);
    const store = await target.createStore({ ...options, clock });
    current = { store, clock, backdoor: target.backdoor?.(store) };
  });
  afterEach(async () => {
    // Lifecycle tests close the store themselves; closing twice is part of the contract.
    await current?.store.close();
    current = undefined;
  });
  return {
    get store() {
      if (!current) throw new Error('useStore: no store outside a test');
      return current.store;
    },
    get clock() {
      if (!current) throw new Error('useStore: no store outside a test');
      return current.clock;
    },
    get backdoor() {
      if (!current) throw new Error('useStore: no store outside a test');
      if (!current.backdoor) throw new Error(`useStore: ${target.name} has no backdoor`);
      return current.backdoor;
    },
  };
}

/** @internal A valid create input, distinguishable by `n`. */
export function taskInput(n: number | string, overrides: Partial<CreateTaskInput> = {}): CreateTaskInput {
  return { title: `Task ${n}`, description: `Work item ${n}`, ...overrides };
}

const NOTHING_THROWN = Symbol('nothing thrown');

/**
 * @internal Run `fn` (sync or async) and return the omc error it throws, failing the test when it throws
 * nothing, something that is not an omc error, or an error with another code.
 */
export async function expectOmcError(fn: () => unknown, code: OmcErrorCode): Promise<OmcError> {
  let caught: unknown = NOTHING_THROWN;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected an ${code} error, but nothing was thrown`).not.toBe(NOTHING_THROWN);
  expect(OmcError.isInstance(caught), `expected an omc error, got ${String(caught)}`).toBe(true);
  expect((caught as OmcError).code).toBe(code);
  return caught as OmcError;
}

/** @internal Expect `fn` to be refused as invalid input without adding or removing any task. */
export async function expectRefusedInput(ctx: StoreContext, fn: () => unknown): Promise<OmcError> {
  const before = (await ctx.store.getStats()).total;
  const error = await expectOmcError(fn, 'OMC_INVALID_INPUT');
  expect((await ctx.store.getStats()).total).toBe(before);
  return error;
}

/** @internal Read a task that must exist. */
export async function mustGet(store: TaskStore, id: string): Promise<Task> {
  const task = await store.getTask(id);
  expect(task, `task ${id} should exist`).not.toBeNull();
  return task as Task;
}

/** @internal Claim the next task, which must exist. */
export async function mustClaim(store: TaskStore, agent: string): Promise<Task> {
  const task = await store.claimTask(agent);
  expect(task, `${agent} should have claimed a task`).not.toBeNull();
  return task as Task;
}

/**
 * @internal Expect `fn` to be refused with `OMC_LEASE_LOST` for `reason`, naming the task in its fields and
 * its message, and reporting the task's status at the time (`undefined` once deleted).
 */
export async function expectLeaseLost(
  fn: () => unknown,
  taskId: string,
  reason: LeaseLossReason,
  status: TaskStatus | undefined,
): Promise<LeaseLostError> {
  const error = await expectOmcError(fn, 'OMC_LEASE_LOST');
  expect(LeaseLostError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ taskId, reason, status });
  expect(error.message).toContain(taskId);
  return error as LeaseLostError;
}

/** @internal A task as stored, with its history: what a refused write must leave exactly as it was. */
export interface TaskSnapshot {
  task: Task | null;
  history: TaskTransition[];
}

/** @internal Read a task and its history. */
export async function snapshot(store: TaskStore, id: string): Promise<TaskSnapshot> {
  return { task: await store.getTask(id), history: await store.getTaskHistory(id) };
}

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;

/** The allowed steps that take a PENDING task to each status. */
const PATHS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  [PENDING]: [],
  [CLAIMED]: [CLAIMED],
  [IN_PROGRESS]: [CLAIMED, IN_PROGRESS],
  [COMPLETED]: [CLAIMED, IN_PROGRESS, COMPLETED],
  [FAILED]: [CLAIMED, IN_PROGRESS, FAILED],
  [CANCELLED]: [CANCELLED],
};

/**
 * @internal Move a PENDING task to `status` through allowed transitions, one clock millisecond per step.
 * Uses `updateTask` rather than `claimTask` so the caller chooses which task moves.
 */
export async function driveTo(ctx: StoreContext, id: string, status: TaskStatus, agent = 'agent-1'): Promise<Task> {
  let task = await mustGet(ctx.store, id);
  for (const step of PATHS[status]) {
    ctx.clock.advance(1);
    const next = await ctx.store.updateTask(
      id,
      step === CLAIMED ? { status: step, assignedAgent: agent } : { status: step },
    );
    expect(next?.status).toBe(step);
    task = next as Task;
  }
  return task;
}

/** @internal Create one task and move it to `status`. */
export async function createIn(
  ctx: StoreContext,
  status: TaskStatus,
  input: CreateTaskInput = taskInput(status),
): Promise<Task> {
  const created = await ctx.store.createTask(input);
  return driveTo(ctx, created.id, status);
}

/** @internal Sort the way every store must: priority DESC, createdAt ASC, then creation order. */
export function expectedOrder(tasks: readonly Task[], creationIndex: ReadonlyMap<string, number>): Task[] {
  return [...tasks].sort(
    (a, b) =>
      b.priority - a.priority ||
      a.createdAt - b.createdAt ||
      (creationIndex.get(a.id) ?? 0) - (creationIndex.get(b.id) ?? 0),
  );
}

/** @internal The ids of some tasks, to compare lists compactly. */
export function ids(tasks: readonly (Task | null)[]): (string | undefined)[] {
  return tasks.map((task) => task?.id);
}

/**
 * @internal Let callbacks a store scheduled run: a short real-time wait (a few event-loop turns). Used only
 * to check that something did NOT happen; positive checks wait for the event itself.
 */
export async function settle(ms = 20): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
