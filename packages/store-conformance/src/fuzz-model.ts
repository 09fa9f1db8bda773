import { isDeepStrictEqual } from 'node:util';
import {
  type CreateTaskInput,
  InvalidInputError,
  InvalidTransitionError,
  LeaseLostError,
  OmcError,
  type Task,
  type TaskFilter,
  type TaskLease,
  type TaskStore,
} from '@omc/core';
import { FakeClock, MemoryTaskStore } from '@omc/core/testing';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  type CreateSpec,
  type LeasePick,
  type ModelOp,
  type ModelStoreSettings,
  modelOpArbitraries,
  modelStoreSettings,
  showOp,
  type TaskPick,
} from './fuzz-model-ops.js';
import { fuzzSettings } from './fuzz-settings.js';
import { START } from './harness.js';
import { describeNeeding, reportSkips } from './skips.js';
import { CONFORMANCE_CAPABILITIES, type ConformanceTarget } from './target.js';

/** Options of {@link runModelFuzz} and {@link describeModelFuzz}. */
export interface ModelFuzzOptions {
  /** Sequences to run when `OMC_FUZZ_RUNS` is not set (CI's size). Default 100. */
  runs?: number;
  /** Longest generated sequence. Default 40 steps. */
  maxCommands?: number;
  /** The seed, overriding `OMC_FUZZ_SEED` and the fixed CI seed. */
  seed?: number;
}

/** What a {@link runModelFuzz} run did. */
export interface ModelFuzzReport {
  seed: number;
  /** Sequences run, shrinking included. */
  sequences: number;
  /** Steps executed on both stores, shrinking included. */
  commands: number;
}

/** Which store a value came from: ids are translated through that store's map. */
type Side = 'reference' | 'target';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** An id neither store ever has (caller-chosen ids count up from zero). */
const UNKNOWN_ID = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

/** The state of one sequence: the reference store, the shared clock, and what both stores were told. */
class World {
  /** Per side, task id → label (`T<creation index>`); labels index `ids`. */
  private readonly labelOf: Record<Side, Map<string, string>> = { reference: new Map(), target: new Map() };
  private readonly ids: Record<Side, string[]> = { reference: [], target: [] };
  /** Leases seen in claims, by label and token: the same on both sides, or a divergence was reported. */
  readonly leases: { label: number; token: number }[] = [];
  readonly trace: string[] = [];
  private nextCallerId = 0;

  constructor(
    readonly reference: TaskStore,
    readonly target: TaskStore,
    readonly clock: FakeClock,
  ) {}

  get taskCount(): number {
    return this.ids.reference.length;
  }

  /** The id of the task a pick names, on one side: n counts back from the newest task. */
  idOf(pick: TaskPick, side: Side): string {
    if ('unknown' in pick || this.taskCount === 0) return UNKNOWN_ID;
    return this.ids[side][this.taskCount - 1 - (pick.n % this.taskCount)] as string;
  }

  /**
   * The lease a pick names, on one side: n counts back from the newest lease seen (none seen: a task's
   * first claim, token 1). A forged token is another valid token, never 0.
   */
  leaseOf(pick: LeasePick, side: Side): TaskLease {
    const count = this.leases.length;
    const seen = count === 0 ? undefined : this.leases[count - 1 - (pick.n % count)];
    const id = seen ? (this.ids[side][seen.label] as string) : this.idOf({ n: pick.n }, side);
    const token = seen?.token ?? 1;
    return { id, leaseToken: token + pick.forge < 1 ? token + 2 : token + pick.forge };
  }

  callerId(): string {
    return `00000000-0000-4000-8000-${String(this.nextCallerId++).padStart(12, '0')}`;
  }

  /** Name the tasks both stores just created (same positions, both new) with one new label each. */
  learn(reference: readonly Task[], target: readonly Task[]): void {
    reference.forEach((task, i) => {
      const other = target[i];
      if (!other || this.labelOf.reference.has(task.id) || this.labelOf.target.has(other.id)) return;
      const label = `T${this.ids.reference.length}`;
      this.labelOf.reference.set(task.id, label);
      this.labelOf.target.set(other.id, label);
      this.ids.reference.push(task.id);
      this.ids.target.push(other.id);
    });
  }

  /** Remember the leases of claimed tasks (the reference's; the target's were just checked equal). */
  learnLeases(tasks: readonly (Task | null)[]): void {
    for (const task of tasks) {
      if (!task || task.leaseToken === 0) continue;
      const label = this.labelOf.reference.get(task.id);
      if (label === undefined) continue;
      const index = Number(label.slice(1));
      if (!this.leases.some((l) => l.label === index && l.token === task.leaseToken)) {
        this.leases.push({ label: index, token: task.leaseToken });
      }
    }
  }

  /**
   * A value with every id replaced by its label (`?` for an id this side never created), errors reduced
   * to their code and fields, and absent fields dropped: what must be equal across the two stores.
   */
  normalise(value: unknown, side: Side): unknown {
    if (typeof value === 'string') {
      return value.replace(
        UUID,
        (id) => this.labelOf[side].get(id.toLowerCase()) ?? (id === UNKNOWN_ID ? '?unknown' : `?${id}`),
      );
    }
    if (value instanceof Error) return this.normalise(describeError(value), side);
    if (Array.isArray(value)) return value.map((item) => this.normalise(item, side));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        const field = (value as Record<string, unknown>)[key];
        if (field !== undefined) out[key] = this.normalise(field, side);
      }
      return out;
    }
    return value;
  }

  /** Every known task (by getTask), every history, the full listing and the stats, on one side. */
  async observe(side: Side): Promise<unknown> {
    const store = side === 'reference' ? this.reference : this.target;
    const tasks: unknown[] = [];
    const histories: unknown[] = [];
    for (const id of this.ids[side]) {
      tasks.push(await store.getTask(id));
      histories.push(await store.getTaskHistory(id));
    }
    return { stats: await store.getStats(), listing: await store.getTasks(), tasks, histories };
  }
}

/** An omc error as the fields both stores must agree on (messages may be worded differently). */
function describeError(error: Error): Record<string, unknown> {
  if (!OmcError.isInstance(error)) {
    return { untyped: `${error.name}: ${error.message}` };
  }
  const e = error as OmcError;
  return {
    thrown: e.code,
    taskId: e.taskId,
    field: InvalidInputError.isInstance(e) ? (e as InvalidInputError).field : undefined,
    from: InvalidTransitionError.isInstance(e) ? (e as InvalidTransitionError).from : undefined,
    to: InvalidTransitionError.isInstance(e) ? (e as InvalidTransitionError).to : undefined,
    reason: LeaseLostError.isInstance(e) ? (e as LeaseLostError).reason : undefined,
    status: LeaseLostError.isInstance(e) ? (e as LeaseLostError).status : undefined,
  };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

async function attempt(call: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** The path and both values where two normalised values first differ. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const x = (a as Record<string, unknown>)[key];
      const y = (b as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(x, y))
        return firstDifference(x, y, Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`);
    }
  }
  return `at ${path || '(the value)'}: reference ${short(a)}, target ${short(b)}`;
}

function short(value: unknown, max = 600): string {
  const text = value === undefined ? 'undefined (absent)' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The failure of a sequence: the steps as they ran (ids as labels), then what diverged. */
class DivergenceError extends Error {
  constructor(world: World, what: string, detail: string) {
    const steps = world.trace.map((line, i) => `  ${String(i + 1).padStart(3)}. ${line}`).join('\n');
    super(
      `The target diverged from MemoryTaskStore in ${what} ${detail}\nSteps (tasks named T<n> by creation order):\n${steps}`,
    );
    this.name = 'DivergenceError';
  }
}

/** Build a create input for one side: ids resolved, `runAt` from the clock. */
function createInput(
  spec: CreateSpec,
  world: World,
  side: Side,
  callerIds: readonly (string | undefined)[],
): CreateTaskInput {
  const { delayMs, dependsOn, id, ...rest } = spec;
  const input: Record<string, unknown> = { description: `about ${spec.title}`, ...rest };
  if (delayMs !== undefined) input.runAt = world.clock.now() + delayMs;
  if (dependsOn !== undefined) {
    // A batch's caller-chosen ids (earlier inputs) are picks too, after the known tasks.
    const batch = callerIds.filter((x): x is string => x !== undefined);
    // Picks that name one task twice (few tasks yet) name it once: a repeated id is the bad-input suite's.
    const resolved = dependsOn.map((pick) => {
      if ('unknown' in pick) return UNKNOWN_ID;
      const total = world.taskCount + batch.length;
      const n = pick.n % Math.max(1, total);
      return n < world.taskCount ? world.idOf(pick, side) : (batch[n - world.taskCount] ?? UNKNOWN_ID);
    });
    input.dependsOn = [...new Set(resolved)];
  }
  const own = callerIds[callerIds.length - 1];
  if (own !== undefined) input.id = own;
  else if (id !== undefined && id !== 'fresh' && !('unknown' in id)) input.id = world.idOf(id, side);
  return input as unknown as CreateTaskInput;
}

/** Caller-chosen ids for a batch (the same string on both sides), `undefined` where the store picks. */
function callerIdsFor(specs: readonly CreateSpec[], world: World): (string | undefined)[] {
  return specs.map((spec) => (spec.id === 'fresh' ? world.callerId() : undefined));
}

/** The call a step makes, on one side; `callerIds` are shared so both stores get the same ids. */
function callFor(
  op: ModelOp,
  world: World,
  callerIds: readonly (string | undefined)[],
): (store: TaskStore, side: Side) => unknown {
  switch (op.op) {
    case 'createTask':
      return (store, side) => store.createTask(createInput(op.input, world, side, callerIds));
    case 'createTasks':
      return (store, side) =>
        store.createTasks(op.inputs.map((spec, i) => createInput(spec, world, side, callerIds.slice(0, i + 1))));
    case 'claimTask':
      return (store) => store.claimTask(op.agent, op.options);
    case 'claimTasks':
      return (store) => store.claimTasks(op.agent, op.limit, op.options);
    case 'startTask':
      return (store, side) => store.startTask(world.leaseOf(op.lease, side));
    case 'startTasks':
      return (store, side) => store.startTasks(op.leases.map((lease) => world.leaseOf(lease, side)));
    case 'heartbeat':
      return (store, side) => store.heartbeat(world.leaseOf(op.lease, side));
    case 'completeTask':
      return (store, side) => store.completeTask(world.leaseOf(op.lease, side), op.result);
    case 'completeTasks':
      return (store, side) =>
        store.completeTasks(op.items.map((item) => ({ lease: world.leaseOf(item.lease, side), result: item.result })));
    case 'failTask':
      return (store, side) =>
        store.failTask(
          world.leaseOf(op.lease, side),
          op.error,
          op.retry === undefined ? undefined : { retry: op.retry },
        );
    case 'releaseTask':
      return (store, side) =>
        store.releaseTask(world.leaseOf(op.lease, side), op.reason === undefined ? undefined : { reason: op.reason });
    case 'cancelTask':
      return (store, side) =>
        store.cancelTask(world.idOf(op.task, side), op.reason === undefined ? undefined : { reason: op.reason });
    case 'retryTask':
      return (store, side) =>
        store.retryTask(
          world.idOf(op.task, side),
          op.delayMs === undefined ? undefined : { runAt: world.clock.now() + op.delayMs },
        );
    case 'deleteTask':
      return (store, side) => store.deleteTask(world.idOf(op.task, side));
    case 'updateTask':
      return (store, side) => store.updateTask(world.idOf(op.task, side), op.update);
    case 'getTasks':
      return (store, side) => {
        const { after, ...rest } = op.filter;
        const filter = after === undefined ? rest : { ...rest, after: world.idOf(after, side) };
        return store.getTasks(filter as TaskFilter);
      };
    case 'reclaimExpired':
      return (store) => store.reclaimExpired();
    case 'clearAll':
      return (store) => store.clearAll();
    case 'advance':
      return () => undefined;
  }
}

/** The tasks a step's result holds, for learning new labels and leases. */
function tasksIn(value: unknown): Task[] {
  if (Array.isArray(value)) return value.filter((v): v is Task => !!v && typeof v === 'object' && 'leaseToken' in v);
  return value && typeof value === 'object' && 'leaseToken' in value ? [value as Task] : [];
}

/** One generated step: run on both stores, compare the results, then compare everything readable. */
class ModelStep implements fc.AsyncCommand<World, TaskStore> {
  constructor(
    readonly op: ModelOp,
    private readonly counter: { commands: number },
  ) {}

  check(): boolean {
    return true;
  }

  async run(world: World): Promise<void> {
    this.counter.commands++;
    const { op } = this;
    if (op.op === 'advance') {
      world.clock.advance(op.ms);
      world.trace.push(showOp(op));
      return;
    }
    const callerIds =
      op.op === 'createTask'
        ? callerIdsFor([op.input], world)
        : op.op === 'createTasks'
          ? callerIdsFor(op.inputs, world)
          : [];
    const call = callFor(op, world, callerIds);
    // Resolve every pick before the call, so both sides see the same tasks (a create adds labels after).
    const refOutcome = await attempt(() => call(world.reference, 'reference'));
    const tgtOutcome = await attempt(() => call(world.target, 'target'));
    if (refOutcome.ok && tgtOutcome.ok && (op.op === 'createTask' || op.op === 'createTasks')) {
      world.learn(tasksIn(refOutcome.value), tasksIn(tgtOutcome.value));
    }
    const ref = world.normalise(refOutcome.ok ? refOutcome.value : refOutcome.error, 'reference');
    const tgt = world.normalise(tgtOutcome.ok ? tgtOutcome.value : tgtOutcome.error, 'target');
    world.trace.push(`${showOp(op)} → ${short(ref, 300)}`);
    for (const [name, outcome] of [
      ['reference', refOutcome],
      ['target', tgtOutcome],
    ] as const) {
      if (!outcome.ok && !OmcError.isInstance(outcome.error)) {
        throw new DivergenceError(
          world,
          'an untyped error',
          `(the ${name} threw ${outcome.error.stack ?? outcome.error})`,
        );
      }
    }
    if (!isDeepStrictEqual(ref, tgt))
      throw new DivergenceError(world, 'what the last step returned', firstDifference(ref, tgt));
    if (refOutcome.ok) world.learnLeases(tasksIn(refOutcome.value));
    const seenRef = world.normalise(await world.observe('reference'), 'reference');
    const seenTgt = world.normalise(await world.observe('target'), 'target');
    if (!isDeepStrictEqual(seenRef, seenTgt)) {
      throw new DivergenceError(world, 'what it reads after the last step', firstDifference(seenRef, seenTgt));
    }
  }

  toString(): string {
    return showOp(this.op);
  }
}

function storeOptions(settings: ModelStoreSettings, clock: FakeClock) {
  return {
    clock,
    leaseMs: settings.leaseMs,
    maxAttempts: settings.maxAttempts,
    backoff: { ...settings.backoff },
    random: () => settings.jitter,
  };
}

/**
 * Run random sequences of every `TaskStore` operation (creates with priorities, idempotency keys, delays,
 * dependencies and metadata; single and batch claims; start, heartbeat, complete, fail, release, cancel,
 * retry, delete, update; listings; clock steps) against `MemoryTaskStore` and `target` side by side, on
 * one `FakeClock`, with the same lease options and the same `random`. After every step the
 * results, thrown error codes, every task, every history, the full listing and the stats must be equal
 * once ids are mapped by creation order. A divergence throws, with the sequence fast-check shrank it to,
 * printed step by step. Resolves to what ran.
 *
 * ### Examples
 * ```ts
 * const report = await runModelFuzz({ name: 'Foo', createStore: (o) => new FooStore(o) }, { runs: 20, seed: 1 });
 * console.log(report.commands);
 * ```
 */
export async function runModelFuzz(
  target: ConformanceTarget,
  options: ModelFuzzOptions = {},
): Promise<ModelFuzzReport> {
  const settings = fuzzSettings(options.runs ?? 100);
  const seed = options.seed ?? settings.seed;
  const counter = { commands: 0, sequences: 0 };
  const steps = fc.commands(
    modelOpArbitraries.map((arb) => arb.map((op) => new ModelStep(op, counter))),
    { maxCommands: options.maxCommands ?? 40, size: 'max' },
  );
  const property = fc.asyncProperty(modelStoreSettings, steps, async (storeSettings, commands) => {
    counter.sequences++;
    const clock = new FakeClock(START);
    const reference = new MemoryTaskStore(storeOptions(storeSettings, clock));
    const store = await target.createStore(storeOptions(storeSettings, clock));
    try {
      await fc.asyncModelRun(() => ({ model: new World(reference, store, clock), real: store }), commands);
    } finally {
      reference.close();
      await store.close();
    }
  });
  await fc.assert(property, { seed, numRuns: settings.numRuns, includeErrorInReport: true });
  return { seed, sequences: counter.sequences, commands: counter.commands };
}

/**
 * Register the model-based suite with vitest: one test that runs {@link runModelFuzz} against `target`
 * (`OMC_FUZZ_RUNS` sequences, default `options.runs`, from `OMC_FUZZ_SEED` or the fixed CI seed) and
 * prints what ran. A failure names the seed and the shrunk sequence, step by step.
 *
 * ### Examples
 * ```ts
 * import { describeModelFuzz } from '@omc/store-conformance';
 * describeModelFuzz({ name: 'TaskPool (:memory:)', createStore: (o) => new TaskPool(':memory:', o) }, { runs: 150 });
 * ```
 */
export function describeModelFuzz(given: ConformanceTarget, options: ModelFuzzOptions = {}): void {
  const target = { ...given };
  const { seed, numRuns } = fuzzSettings(options.runs ?? 100);
  const chosen = options.seed ?? seed;
  // The sequences call every method, so a target lacking any capability skips them.
  describeNeeding(target, CONFORMANCE_CAPABILITIES, `${target.name}: model-based fuzz against MemoryTaskStore`, () => {
    it(
      `random sequences agree with the reference store (seed ${chosen}, ${numRuns} sequences)`,
      async () => {
        const report = await runModelFuzz(target, { ...options, seed: chosen });
        console.info(
          `model fuzz ${target.name}: seed ${report.seed}, ${report.sequences} sequences, ${report.commands} commands, 0 divergences`,
        );
        expect(report.sequences).toBe(numRuns);
      },
      // No time limit worth having on a long `pnpm fuzz` run; CI's size is set by `runs`.
      60_000 + numRuns * 2_000,
    );
  });
  reportSkips(target);
}
