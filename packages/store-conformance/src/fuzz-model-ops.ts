import { TASK_STATUSES, TaskPriority, type TaskStatus } from '@omc/core';
import fc from 'fast-check';

/**
 * @internal The operations of the model-based suite, as plain data: what fast-check generates, shrinks
 * and prints. Tasks and leases are named by position ("the n-th newest task", "the n-th newest lease
 * seen", modulo how many there are when the step runs), so a sequence stays meaningful while it shrinks.
 */

/** @internal A task counting back from the newest (modulo the tasks created so far), or an id no store has. */
export type TaskPick = { readonly n: number } | { readonly unknown: true };

/** @internal A lease seen in a claim, counting back from the newest, its token shifted by `forge` (0: genuine). */
export interface LeasePick {
  readonly n: number;
  readonly forge: -1 | 0 | 1;
}

/** @internal A `createTask` input, with picks in place of ids. */
export interface CreateSpec {
  readonly title: string;
  readonly priority?: number;
  readonly idempotencyKey?: string;
  /** `runAt` relative to the clock when the step runs (negative: in the past). */
  readonly delayMs?: number;
  readonly maxAttempts?: number;
  readonly leaseMs?: number;
  readonly timeoutMs?: number;
  readonly requires?: readonly string[];
  readonly dependsOn?: readonly TaskPick[];
  /** 'fresh': a new caller-chosen id; a pick: an id already taken (refused). */
  readonly id?: 'fresh' | TaskPick;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** @internal A claim's options. */
export interface ClaimSpec {
  readonly capabilities?: readonly string[];
  readonly exclusive?: boolean;
}

/** @internal One step of a sequence. */
export type ModelOp =
  | { readonly op: 'createTask'; readonly input: CreateSpec }
  | { readonly op: 'createTasks'; readonly inputs: readonly CreateSpec[] }
  | { readonly op: 'claimTask'; readonly agent: string; readonly options?: ClaimSpec }
  | { readonly op: 'claimTasks'; readonly agent: string; readonly limit: number; readonly options?: ClaimSpec }
  | { readonly op: 'startTask'; readonly lease: LeasePick }
  | { readonly op: 'startTasks'; readonly leases: readonly LeasePick[] }
  | { readonly op: 'heartbeat'; readonly lease: LeasePick }
  | { readonly op: 'completeTask'; readonly lease: LeasePick; readonly result?: string }
  | { readonly op: 'completeTasks'; readonly items: readonly { lease: LeasePick; result?: string }[] }
  | { readonly op: 'failTask'; readonly lease: LeasePick; readonly error: string; readonly retry?: boolean }
  | { readonly op: 'releaseTask'; readonly lease: LeasePick; readonly reason?: string }
  | { readonly op: 'cancelTask'; readonly task: TaskPick; readonly reason?: string }
  | { readonly op: 'retryTask'; readonly task: TaskPick; readonly delayMs?: number }
  | { readonly op: 'deleteTask'; readonly task: TaskPick }
  | { readonly op: 'updateTask'; readonly task: TaskPick; readonly update: UpdateSpec }
  | { readonly op: 'getTasks'; readonly filter: FilterSpec }
  | { readonly op: 'reclaimExpired' }
  | { readonly op: 'advance'; readonly ms: number }
  | { readonly op: 'clearAll' };

/** @internal An `updateTask` change. */
export interface UpdateSpec {
  readonly status?: TaskStatus;
  readonly assignedAgent?: string;
  readonly result?: string;
  readonly error?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** @internal A `getTasks` filter, with a pick for the cursor. */
export interface FilterSpec {
  readonly status?: TaskStatus;
  readonly priority?: number;
  readonly assignedAgent?: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly after?: TaskPick;
}

/** @internal The store options of one sequence: the same for the reference and the target. */
export interface ModelStoreSettings {
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  /**
   * What both stores' `random` returns, on every call. One value rather than a seeded sequence: the
   * contract fixes the jitter's formula, not how many draws a store makes (a store that decides twice
   * after a lost compare-and-set draws twice), so only the formula is compared.
   */
  readonly jitter: number;
}

const AGENTS = ['agent-a', 'agent-b', 'agent-c'] as const;
const CAPABILITIES = ['code', 'test', 'gpu'] as const;

/** Mostly valid values, sometimes one a store must refuse (both must refuse it the same way). */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid as fc.Arbitrary<T> });
}

/** Recent tasks and leases more often than old ones: small n counts back from the newest. */
const recent = fc.oneof({ weight: 4, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.nat(63) });

const taskPick: fc.Arbitrary<TaskPick> = fc.oneof(
  { weight: 15, arbitrary: recent.map((n): TaskPick => ({ n })) },
  { weight: 1, arbitrary: fc.constant<TaskPick>({ unknown: true }) },
);

const leasePick: fc.Arbitrary<LeasePick> = fc.record({
  // The newest lease most often: the holder that just claimed is the one that goes on working.
  n: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: recent }),
  forge: fc.oneof(
    { weight: 10, arbitrary: fc.constant(0 as const) },
    { weight: 1, arbitrary: fc.constantFrom(-1 as const, 1 as const) },
  ),
});

/** `arb` in about one case of `every`, else absent. */
function sometimes<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** A record without its absent keys, so a printed step shows only what it sets. */
function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const agent = mostly(fc.constantFrom(...AGENTS), fc.constantFrom('', 7));
const text = (prefix: string) => fc.nat(3).map((n) => `${prefix} ${n}`);
const smallMetadata = fc.dictionary(
  fc.constantFrom('a', 'b', 'nested'),
  fc.oneof(
    fc.integer({ min: -5, max: 5 }),
    fc.string({ maxLength: 4 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant([1, 'x']),
  ),
  { maxKeys: 3 },
);
const capabilities = fc.subarray([...CAPABILITIES]);

const createSpec: fc.Arbitrary<CreateSpec> = fc
  .record({
    title: mostly(text('task'), fc.constant('')),
    priority: sometimes(mostly(fc.constantFrom(...Object.values(TaskPriority)), fc.constantFrom(4, 1.5)), 2),
    idempotencyKey: sometimes(fc.constantFrom('key-0', 'key-1', 'key-2'), 5),
    delayMs: sometimes(fc.constantFrom(-1000, 0, 1, 500, 5000), 5),
    maxAttempts: sometimes(mostly(fc.integer({ min: 1, max: 4 }), fc.constant(0)), 3),
    leaseMs: sometimes(fc.constantFrom(1, 1000, 20_000), 6),
    timeoutMs: sometimes(fc.constantFrom(1, 1500, 10_000), 6),
    requires: sometimes(capabilities, 5),
    dependsOn: sometimes(
      fc
        .tuple(fc.uniqueArray(recent, { minLength: 1, maxLength: 3 }), fc.nat(15))
        .map(([ns, unknown]) => [
          ...ns.map((n): TaskPick => ({ n })),
          ...(unknown === 0 ? [{ unknown: true } as const] : []),
        ]),
      4,
    ),
    id: sometimes(
      fc.oneof({ weight: 8, arbitrary: fc.constant('fresh' as const) }, { weight: 1, arbitrary: taskPick }),
      4,
    ),
    metadata: sometimes(smallMetadata, 4),
  })
  .map(present);

const claimSpec: fc.Arbitrary<ClaimSpec | undefined> = fc.option(
  fc.oneof(
    capabilities.map((caps): ClaimSpec => ({ capabilities: caps })),
    fc
      .subarray([...CAPABILITIES], { minLength: 1 })
      .map((caps): ClaimSpec => ({ capabilities: caps, exclusive: true })),
  ),
  { freq: 3, nil: undefined },
);

const updateSpec: fc.Arbitrary<UpdateSpec> = fc
  .record({
    status: sometimes(fc.constantFrom(...TASK_STATUSES), 2),
    assignedAgent: sometimes(fc.constantFrom(...AGENTS), 3),
    result: sometimes(text('result'), 4),
    error: sometimes(text('error'), 4),
    metadata: sometimes(smallMetadata, 4),
  })
  .map(present);

const filterSpec: fc.Arbitrary<FilterSpec> = fc
  .record({
    status: sometimes(fc.constantFrom(...TASK_STATUSES), 2),
    priority: sometimes(fc.constantFrom(...Object.values(TaskPriority)), 4),
    assignedAgent: sometimes(fc.constantFrom(...AGENTS), 4),
    limit: sometimes(mostly(fc.integer({ min: 1, max: 4 }), fc.constant(0)), 3),
    // Not both: a filter with offset and after is refused, which a rare case covers well enough.
    page: sometimes(
      fc.oneof(
        { weight: 8, arbitrary: fc.nat(3).map((offset) => ({ offset })) },
        { weight: 8, arbitrary: taskPick.map((after) => ({ after })) },
        { weight: 1, arbitrary: taskPick.map((after) => ({ after, offset: 1 })) },
      ),
      3,
    ),
  })
  .map(({ page, ...rest }) => present({ ...rest, ...page }) as FilterSpec);

/** @internal Clock steps around the lease, timeout and backoff lengths the settings use. */
const advanceMs = fc.oneof(
  fc.constantFrom(1, 99, 100, 500, 999, 1000, 1001, 1499, 1500, 4000, 5000, 20_000, 60_000),
  fc.integer({ min: 0, max: 120_000 }),
);

const maybeResult = fc.option(text('result'), { nil: undefined });
const maybeReason = fc.option(text('reason'), { nil: undefined });

/** Each kind of step and how often it comes (fast-check picks among the list evenly, so by repeats). */
const WEIGHTED_OPS: readonly (readonly [weight: number, arbitrary: fc.Arbitrary<ModelOp>])[] = [
  [5, createSpec.map((input): ModelOp => ({ op: 'createTask', input }))],
  [1, fc.array(createSpec, { maxLength: 4 }).map((inputs): ModelOp => ({ op: 'createTasks', inputs }))],
  [4, fc.record({ agent, options: claimSpec }).map((r): ModelOp => present({ op: 'claimTask', ...r }))],
  [
    2,
    fc
      .record({ agent, limit: mostly(fc.integer({ min: 1, max: 4 }), fc.constant(0)), options: claimSpec })
      .map((r): ModelOp => present({ op: 'claimTasks', ...r })),
  ],
  [2, leasePick.map((lease): ModelOp => ({ op: 'startTask', lease }))],
  [1, fc.array(leasePick, { maxLength: 3 }).map((leases): ModelOp => ({ op: 'startTasks', leases }))],
  [2, leasePick.map((lease): ModelOp => ({ op: 'heartbeat', lease }))],
  [3, fc.record({ lease: leasePick, result: maybeResult }).map((r): ModelOp => present({ op: 'completeTask', ...r }))],
  [
    1,
    fc
      .array(fc.record({ lease: leasePick, result: maybeResult }).map(present), { maxLength: 3 })
      .map((items): ModelOp => ({ op: 'completeTasks', items })),
  ],
  [
    3,
    fc
      .record({ lease: leasePick, error: text('error'), retry: fc.option(fc.boolean(), { nil: undefined }) })
      .map((r): ModelOp => present({ op: 'failTask', ...r })),
  ],
  [1, fc.record({ lease: leasePick, reason: maybeReason }).map((r): ModelOp => present({ op: 'releaseTask', ...r }))],
  [1, fc.record({ task: taskPick, reason: maybeReason }).map((r): ModelOp => present({ op: 'cancelTask', ...r }))],
  [
    1,
    fc
      .record({ task: taskPick, delayMs: fc.option(fc.constantFrom(-100, 0, 2000), { nil: undefined }) })
      .map((r): ModelOp => present({ op: 'retryTask', ...r })),
  ],
  [1, fc.record({ task: taskPick, update: updateSpec }).map((r): ModelOp => ({ op: 'updateTask', ...r }))],
  [1, filterSpec.map((filter): ModelOp => ({ op: 'getTasks', filter }))],
  [1, fc.constant<ModelOp>({ op: 'reclaimExpired' })],
  [4, advanceMs.map((ms): ModelOp => ({ op: 'advance', ms }))],
  // Deletes and clears are rare: each one ends the story of the tasks it removes.
  [
    1,
    fc.oneof(
      // Any task, not mostly the newest: the newest is usually the one being worked on.
      { weight: 15, arbitrary: fc.nat(63).map((n): ModelOp => ({ op: 'deleteTask', task: { n } })) },
      { weight: 1, arbitrary: fc.constant<ModelOp>({ op: 'deleteTask', task: { unknown: true } }) },
      { weight: 1, arbitrary: fc.constant<ModelOp>({ op: 'clearAll' }) },
    ),
  ],
];

/** @internal Every step the suite generates, weighted towards the lifecycle. */
export const modelOpArbitraries: readonly fc.Arbitrary<ModelOp>[] = WEIGHTED_OPS.flatMap(([weight, arbitrary]) =>
  Array.from({ length: weight }, () => arbitrary),
);

/** @internal The settings of one sequence. */
export const modelStoreSettings: fc.Arbitrary<ModelStoreSettings> = fc.record({
  leaseMs: fc.constantFrom(1000, 5000, 30_000),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  backoff: fc
    .record({ baseMs: fc.constantFrom(100, 1000), factor: fc.constantFrom(1, 4, 100) })
    .map(({ baseMs, factor }) => ({ baseMs, maxMs: baseMs * factor })),
  jitter: fc.oneof(fc.constantFrom(0, 0.5, 0.999_999), fc.double({ min: 0, max: 0.999_999, noNaN: true })),
});

function showPick(pick: TaskPick): string {
  return 'unknown' in pick ? 'unknown-id' : `task#${pick.n}`;
}

function showLease(pick: LeasePick): string {
  return `lease#${pick.n}${pick.forge === 0 ? '' : pick.forge > 0 ? '(token+1)' : '(token-1)'}`;
}

function showValue(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === 'object' && ('n' in v || 'unknown' in v) && Object.keys(v).length <= 2 && !('forge' in v)) {
      return showPick(v as TaskPick);
    }
    if (v && typeof v === 'object' && 'forge' in v) return showLease(v as LeasePick);
    return v;
  });
}

/**
 * @internal A step as one readable line, e.g. `failTask(lease#2, "error 1", {"retry":false})`. Picks are
 * shown as `task#n` / `lease#n`: n back from the newest task / lease seen (task#0: the newest). The
 * failure message also lists the steps as they ran, with the tasks named.
 */
export function showOp(op: ModelOp): string {
  switch (op.op) {
    case 'createTask':
      return `createTask(${showValue(op.input)})`;
    case 'createTasks':
      return `createTasks(${showValue(op.inputs)})`;
    case 'claimTask':
      return `claimTask(${showValue(op.agent)}${op.options ? `, ${showValue(op.options)}` : ''})`;
    case 'claimTasks':
      return `claimTasks(${showValue(op.agent)}, ${op.limit}${op.options ? `, ${showValue(op.options)}` : ''})`;
    case 'startTask':
    case 'heartbeat':
      return `${op.op}(${showLease(op.lease)})`;
    case 'startTasks':
      return `startTasks([${op.leases.map(showLease).join(', ')}])`;
    case 'completeTask':
      return `completeTask(${showLease(op.lease)}${op.result === undefined ? '' : `, ${showValue(op.result)}`})`;
    case 'completeTasks':
      return `completeTasks(${showValue(op.items)})`;
    case 'failTask':
      return `failTask(${showLease(op.lease)}, ${showValue(op.error)}${op.retry === undefined ? '' : `, {"retry":${op.retry}}`})`;
    case 'releaseTask':
    case 'cancelTask': {
      const target = op.op === 'releaseTask' ? showLease(op.lease) : showPick(op.task);
      return `${op.op}(${target}${op.reason === undefined ? '' : `, {"reason":${showValue(op.reason)}}`})`;
    }
    case 'retryTask':
      return `retryTask(${showPick(op.task)}${op.delayMs === undefined ? '' : `, {"runAt":now${op.delayMs >= 0 ? '+' : ''}${op.delayMs}}`})`;
    case 'deleteTask':
      return `deleteTask(${showPick(op.task)})`;
    case 'updateTask':
      return `updateTask(${showPick(op.task)}, ${showValue(op.update)})`;
    case 'getTasks':
      return `getTasks(${showValue(op.filter)})`;
    case 'advance':
      return `clock.advance(${op.ms})`;
    default:
      return `${op.op}()`;
  }
}
