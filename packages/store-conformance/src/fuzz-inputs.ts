import {
  OmcError,
  type OmcErrorCode,
  type Task,
  type TaskLease,
  type TaskStats,
  TaskStatus,
  type TaskStore,
  type TaskTransition,
} from '@omc/core';
import { FakeClock } from '@omc/core/testing';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  anyId,
  anyIdempotencyKey,
  anyLease,
  anyNumber,
  anyText,
  type FuzzWorld,
  listOf,
  materialize,
  metadataArg,
  objectOf,
  Recipe,
  SPECIAL_KEYS,
  SQL_METACHARACTERS,
  wellFormedText,
  wrongType,
} from './fuzz-arbitraries.js';
import { fuzzSettings } from './fuzz-settings.js';
import { START } from './harness.js';
import { describeNeeding, reportSkips } from './skips.js';
import { CONFORMANCE_CAPABILITIES, type ConformanceTarget } from './target.js';

/** The only codes a healthy store may refuse input with; anything else (OMC_STORAGE) misreports bad input. */
const REFUSAL_CODES: ReadonlySet<OmcErrorCode> = new Set([
  'OMC_INVALID_INPUT',
  'OMC_INVALID_TRANSITION',
  'OMC_LEASE_LOST',
]);

/** A store method name, or a step of the test's own (`advanceClock`). */
type Method = keyof TaskStore | 'advanceClock';

/** One generated call: printed as code in fast-check's counterexample. */
class Call {
  constructor(
    readonly method: Method,
    readonly args: readonly unknown[],
  ) {}

  [fc.toStringMethod](): string {
    return `${this.method}(${this.args.map((arg) => fc.stringify(arg)).join(', ')})`;
  }
}

function call(method: Method, ...args: fc.Arbitrary<unknown>[]): fc.Arbitrary<Call> {
  return fc.tuple(...args).map((values) => new Call(method, values));
}

/** Pick from `valid` fields, often with one field replaced by a hostile value and sometimes extra keys. */
function mostlyValid(
  valid: Record<string, fc.Arbitrary<unknown>>,
  hostile: Record<string, fc.Arbitrary<unknown>>,
  requiredKeys: string[] = [],
): fc.Arbitrary<unknown> {
  const hostileKeys = Object.keys(hostile);
  const overlay = fc.option(
    fc
      .constantFrom(...hostileKeys)
      .chain((key) => (hostile[key] as fc.Arbitrary<unknown>).map((value) => [key, value] as const)),
    { freq: 2 },
  );
  const extra = fc.option(fc.tuple(fc.constantFrom(...SPECIAL_KEYS, 'unknownField'), wrongType), { freq: 8 });
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc.tuple(fc.record(valid, { requiredKeys }), overlay, extra).map(([fields, replaced, extraEntry]) => {
        const entries = new Map(Object.entries(fields as object));
        if (replaced) entries.set(replaced[0], replaced[1]);
        if (extraEntry) entries.set(extraEntry[0], extraEntry[1]);
        return objectOf([...entries]);
      }),
    },
    { weight: 1, arbitrary: wrongType },
  );
}

const CAPABILITIES = ['code', 'test', 'review', '%', '_', '"', "'", '\\', '[', ']', ',', 'cöde', '\u{1F600}'] as const;

const validText = fc.oneof(
  { weight: 4, arbitrary: wellFormedText.filter((text) => text.trim().length > 0) },
  { weight: 1, arbitrary: fc.constantFrom(...SQL_METACHARACTERS) },
);
const hostileText = fc.oneof(anyText, wrongType);
const validAgent = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('agent-1', 'agent-2') },
  { weight: 1, arbitrary: validText },
);
const agentArg = fc.oneof({ weight: 5, arbitrary: validAgent }, { weight: 1, arbitrary: hostileText });
const refId = (i: number) => new Recipe(`ids[${i}]`, (w) => w.ids[i % Math.max(1, w.ids.length)] ?? 'none');
const refKey = (i: number) => new Recipe(`keys[${i}]`, (w) => w.keys[i % Math.max(1, w.keys.length)] ?? 'key');

/** Metadata that reads back equal (JSON leaves, awkward keys), for the success paths. */
const jsonMetadata = fc
  .array(
    fc.tuple(
      fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...SPECIAL_KEYS)),
      fc.jsonValue({ maxDepth: 3 }).filter((value) => !JSON.stringify(value).includes('-0')),
    ),
    { maxLength: 4 },
  )
  .map((entries) => objectOf(entries));

const validCreate: Record<string, fc.Arbitrary<unknown>> = {
  title: validText,
  description: validText,
  priority: fc.constantFrom(0, 1, 2, 3, -0),
  metadata: fc.oneof(jsonMetadata, metadataArg),
  maxAttempts: fc.integer({ min: 1, max: 10_000 }),
  runAt: fc.oneof(fc.constant(0), fc.integer({ min: START - 10, max: START + 10_000_000 })),
  leaseMs: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  timeoutMs: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  idempotencyKey: fc.oneof(
    validText.filter((key) => key.length <= 255),
    fc.nat(20).map(refKey),
  ),
  requires: fc.array(fc.constantFrom(...CAPABILITIES), { maxLength: 3 }),
  dependsOn: fc.array(fc.nat(20).map(refId), { maxLength: 2 }),
  id: fc.oneof(fc.uuid({ version: 4 }), fc.nat(20).map(refId)),
};

const hostileCreate: Record<string, fc.Arbitrary<unknown>> = {
  title: hostileText,
  description: hostileText,
  priority: anyNumber,
  metadata: metadataArg,
  maxAttempts: anyNumber,
  runAt: anyNumber,
  leaseMs: anyNumber,
  timeoutMs: anyNumber,
  idempotencyKey: anyIdempotencyKey,
  requires: listOf(fc.oneof(fc.constantFrom(...CAPABILITIES), anyText, wrongType)),
  dependsOn: listOf(anyId, 3),
  id: anyId,
};

const createInput = mostlyValid(validCreate, hostileCreate, ['title', 'description']);

const updateInput = mostlyValid(
  {
    status: fc.constantFrom(...Object.values(TaskStatus)),
    assignedAgent: validAgent,
    result: validText,
    error: validText,
    metadata: fc.oneof(jsonMetadata, metadataArg),
  },
  {
    status: fc.oneof(fc.constantFrom('PENDING', 'done', 'Pending', 'pending '), wrongType),
    assignedAgent: hostileText,
    result: hostileText,
    error: hostileText,
    metadata: fc.oneof(metadataArg, fc.constant(null)),
  },
);

const filterArg = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 6,
    arbitrary: mostlyValid(
      {
        status: fc.constantFrom(...Object.values(TaskStatus)),
        priority: fc.constantFrom(0, 1, 2, 3),
        assignedAgent: validAgent,
        limit: fc.integer({ min: 1, max: 5 }),
        offset: fc.integer({ min: 0, max: 3 }),
        after: fc.nat(20).map(refId),
      },
      {
        status: fc.oneof(anyText, wrongType),
        priority: anyNumber,
        assignedAgent: hostileText,
        limit: anyNumber,
        offset: anyNumber,
        after: anyId,
      },
    ),
  },
);

const claimOptions = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: mostlyValid(
      { capabilities: fc.array(fc.constantFrom(...CAPABILITIES), { maxLength: 3 }), exclusive: fc.boolean() },
      { capabilities: listOf(fc.oneof(anyText, wrongType)), exclusive: wrongType },
    ),
  },
);

const optionsOf = (valid: Record<string, fc.Arbitrary<unknown>>, hostile: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: mostlyValid(valid, hostile) });

const reasonOptions = optionsOf({ reason: validText }, { reason: hostileText });
const failOptions = optionsOf({ retry: fc.boolean() }, { retry: wrongType });
const retryOptions = optionsOf(
  { runAt: fc.oneof(fc.constant(0), fc.integer({ min: START - 10, max: START + 10_000_000 })) },
  { runAt: anyNumber },
);

const optionalResult = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: validText },
  { weight: 2, arbitrary: hostileText },
);
const completion = mostlyValid({ lease: anyLease, result: validText }, { lease: wrongType, result: hostileText }, [
  'lease',
]);
const listener = fc.oneof(
  { weight: 3, arbitrary: fc.constant(new Recipe('() => {}', () => () => {})) },
  { weight: 1, arbitrary: wrongType },
);

/** Calls that carry data a store keeps: what is stored must read back as given. */
const dataCalls: fc.Arbitrary<Call> = fc.oneof(
  { weight: 6, arbitrary: call('createTask', createInput) },
  { weight: 3, arbitrary: call('createTasks', listOf(createInput, 4)) },
  { weight: 4, arbitrary: call('updateTask', anyId, updateInput) },
  { weight: 2, arbitrary: call('completeTask', anyLease, optionalResult) },
  { weight: 2, arbitrary: call('failTask', anyLease, fc.oneof(validText, hostileText), failOptions) },
  { weight: 1, arbitrary: call('cancelTask', anyId, reasonOptions) },
  { weight: 1, arbitrary: call('getTask', anyId) },
  { weight: 1, arbitrary: call('getTasks', filterArg) },
);

/** Every public method, with arguments from valid to hostile. */
const everyCall: fc.Arbitrary<Call> = fc.oneof(
  { weight: 4, arbitrary: call('createTask', createInput) },
  { weight: 2, arbitrary: call('createTasks', listOf(createInput, 4)) },
  { weight: 2, arbitrary: call('getTask', anyId) },
  { weight: 3, arbitrary: call('getTasks', filterArg) },
  { weight: 3, arbitrary: call('updateTask', anyId, updateInput) },
  { weight: 3, arbitrary: call('claimTask', agentArg, claimOptions) },
  {
    weight: 2,
    arbitrary: call('claimTasks', agentArg, fc.oneof(fc.integer({ min: 1, max: 4 }), anyNumber), claimOptions),
  },
  { weight: 2, arbitrary: call('startTask', anyLease) },
  { weight: 1, arbitrary: call('startTasks', listOf(anyLease)) },
  { weight: 2, arbitrary: call('heartbeat', anyLease) },
  { weight: 2, arbitrary: call('completeTask', anyLease, optionalResult) },
  { weight: 2, arbitrary: call('completeTasks', listOf(completion)) },
  { weight: 2, arbitrary: call('failTask', anyLease, fc.oneof(validText, hostileText), failOptions) },
  { weight: 2, arbitrary: call('releaseTask', anyLease, reasonOptions) },
  { weight: 2, arbitrary: call('cancelTask', anyId, reasonOptions) },
  { weight: 2, arbitrary: call('retryTask', anyId, retryOptions) },
  { weight: 1, arbitrary: call('deleteTask', anyId) },
  { weight: 1, arbitrary: call('getStats') },
  { weight: 1, arbitrary: call('getTaskHistory', anyId) },
  { weight: 1, arbitrary: call('reclaimExpired') },
  { weight: 1, arbitrary: call('onChange', listener) },
  { weight: 1, arbitrary: call('advanceClock', fc.constantFrom(1, 1_000, 60_000, 5 * 60_000 + 1)) },
);

/** Everything a call could change, read through the public API: tasks by id, their histories, the stats. */
interface StoreState {
  readonly tasks: ReadonlyMap<string, Task>;
  /** Every task id in the listing order (priority, then age, then creation). */
  readonly order: readonly string[];
  readonly histories: ReadonlyMap<string, TaskTransition[]>;
  readonly stats: TaskStats;
  /** The whole state as one JSON text: equal texts, equal stores. */
  readonly text: string;
}

async function readState(store: TaskStore): Promise<StoreState> {
  const inOrder = await store.getTasks();
  const listed = [...inOrder].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const histories = new Map<string, TaskTransition[]>();
  for (const task of listed) histories.set(task.id, await store.getTaskHistory(task.id));
  const stats = await store.getStats();
  const text = JSON.stringify({ tasks: listed, histories: [...histories], stats });
  return {
    tasks: new Map(listed.map((task) => [task.id, task])),
    order: inOrder.map((task) => task.id),
    histories,
    stats,
    text,
  };
}

/** Which task ids differ between two states, to say what a refused call changed. */
function changedIds(before: StoreState, after: StoreState): string[] {
  const ids = new Set([...before.tasks.keys(), ...after.tasks.keys()]);
  return [...ids].filter(
    (id) =>
      JSON.stringify([before.tasks.get(id), before.histories.get(id)]) !==
      JSON.stringify([after.tasks.get(id), after.histories.get(id)]),
  );
}

/** What one property run counts, printed once the property holds (the long `pnpm fuzz` run reports these). */
interface Tally {
  cases: number;
  calls: number;
  succeeded: number;
  refused: Map<string, number>;
}

function newTally(): Tally {
  return { cases: 0, calls: 0, succeeded: 0, refused: new Map() };
}

function describeTally(tally: Tally): string {
  const refused = [...tally.refused].map(([code, n]) => `${code} ${n}`).join(', ');
  return `${tally.cases} cases, ${tally.calls} calls: ${tally.succeeded} succeeded, refused: ${refused || 'none'}; 0 untyped errors, 0 partial writes, 0 read-back mismatches`;
}

/** A case's store, clock and the tasks and leases its calls may refer to. */
interface Case {
  readonly store: TaskStore;
  readonly clock: FakeClock;
  readonly world: FuzzWorld;
}

/**
 * A store with a task in each live state and one finished: two pending (one with an idempotency key and
 * metadata), one claimed, one in progress, one completed, one cancelled, with their leases.
 */
async function seededCase(target: ConformanceTarget): Promise<Case> {
  const clock = new FakeClock(START);
  const store = await target.createStore({ clock });
  const world: FuzzWorld = { ids: [], leases: [], keys: ['key-1', "key'; DROP TABLE tasks; --"] };
  const created = await store.createTasks([
    { title: 'first', description: 'claimed then completed', priority: 3 },
    { title: 'second', description: 'claimed then started', priority: 3 },
    { title: 'third', description: 'claimed', priority: 3 },
    { title: 'fourth', description: 'pending', idempotencyKey: 'key-1', metadata: { a: [1, { b: null }] } },
    { title: 'fifth', description: 'cancelled', idempotencyKey: world.keys[1], requires: ['code'] },
    { title: 'sixth', description: 'pending, low', priority: 0 },
  ]);
  world.ids.push(...created.map((task) => task.id));
  clock.advance(1);
  const claimed = await store.claimTasks('agent-1', 3);
  world.leases.push(...claimed);
  const [first, second] = claimed as [Task, Task];
  await store.startTask(second);
  await store.completeTask(first, 'done');
  await store.cancelTask(created[4]?.id as string, { reason: 'seed' });
  clock.advance(1);
  return { store, clock, world };
}

function fail(call: Call, message: string): never {
  throw new Error(`${fc.stringify(call)}: ${message}`);
}

/** `value` as the store will report it: what createTask stores for a given priority (-0 reads back as 0). */
function storedPriority(priority: unknown): unknown {
  return priority === undefined ? 1 : priority === 0 ? 0 : priority;
}

/** The fields of a created task that must equal what was given. */
function expectCreated(call: Call, task: Task, input: Record<string, unknown>, now: number): void {
  const requires = input.requires as string[] | undefined;
  const dependsOn = input.dependsOn as string[] | undefined;
  const expected: Record<string, unknown> = {
    title: input.title,
    description: input.description,
    priority: storedPriority(input.priority),
    metadata: input.metadata,
    idempotencyKey: input.idempotencyKey,
    leaseMs: input.leaseMs,
    timeoutMs: input.timeoutMs,
    // A task created CANCELLED (a dependency already ended) is not waiting for its runAt.
    runAt:
      typeof input.runAt === 'number' && input.runAt > now && task.status !== TaskStatus.CANCELLED
        ? input.runAt
        : undefined,
    requires: requires === undefined || requires.length === 0 ? undefined : [...new Set(requires)].sort(),
    dependsOn: dependsOn === undefined || dependsOn.length === 0 ? undefined : [...dependsOn],
    attempts: 0,
    leaseToken: 0,
  };
  if (input.maxAttempts !== undefined) expected.maxAttempts = input.maxAttempts;
  if (input.id !== undefined) expected.id = input.id;
  const got = Object.fromEntries(
    Object.keys(expected).map((key) => [key, (task as unknown as Record<string, unknown>)[key]]),
  );
  for (const key of Object.keys(expected)) {
    expectEqual(call, `created task ${task.id}: ${key} does not read back as given`, got[key], expected[key]);
  }
  if (task.status !== TaskStatus.PENDING && task.status !== TaskStatus.CANCELLED) {
    fail(call, `created task ${task.id} is ${task.status}`);
  }
}

/** A value for a failure message: in full, unless it is one of the huge generated ones. */
function shown(value: unknown): string {
  const text = fc.stringify(value);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}… (${text.length} characters)` : text;
}

function expectEqual(call: Call, what: string, actual: unknown, expected: unknown): void {
  try {
    expect(actual).toEqual(expected);
  } catch {
    // The assertion's own message elides nested values; both in full say what differs.
    fail(call, `${what}: got ${shown(actual)}, expected ${shown(expected)}`);
  }
}

/** Run one call: it succeeds and reads back as given, or is refused with an omc error and changes nothing. */
async function runCall(c: Case, call: Call, tally: Tally): Promise<void> {
  const { store, clock, world } = c;
  tally.calls++;
  if (call.method === 'advanceClock') {
    clock.advance(call.args[0] as number);
    return;
  }
  const args = call.args.map((arg) => materialize(arg, world));
  const before = await readState(store);
  let result: unknown;
  let thrown: { error: unknown } | undefined;
  try {
    result = await (store[call.method] as (...a: unknown[]) => unknown).apply(store, args);
  } catch (error) {
    thrown = { error };
  }
  const after = await readState(store);
  if (thrown) {
    const { error } = thrown;
    if (!OmcError.isInstance(error)) {
      fail(
        call,
        `threw an error without an OMC_ code (an untyped error): ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`,
      );
    }
    if (!REFUSAL_CODES.has(error.code)) {
      fail(call, `refused with ${error.code}, which is not a refusal of input: ${error.message}`);
    }
    if (after.text !== before.text) {
      fail(
        call,
        `was refused (${error.code}: ${error.message}) but changed the store (a partial write): tasks ${changedIds(before, after).join(', ')}; stats ${JSON.stringify(before.stats)} → ${JSON.stringify(after.stats)}`,
      );
    }
    tally.refused.set(error.code, (tally.refused.get(error.code) ?? 0) + 1);
    return;
  }
  tally.succeeded++;
  await checkSuccess(c, call, args, result, before, after);
  if (SHARES_OBJECTS.has(call.method)) {
    // What went in and what came out are the caller's: changing them must not change the store.
    scribble(args);
    scribble(result);
    if ((await readState(store)).text !== after.text) {
      fail(call, 'changing the objects passed in or returned changed the store: it shares them with its caller');
    }
  }
}

/** Calls that take or return objects a store might keep a reference to. */
const SHARES_OBJECTS: ReadonlySet<Method> = new Set([
  'createTask',
  'createTasks',
  'updateTask',
  'getTask',
  'getTasks',
  'claimTask',
  'claimTasks',
  'cancelTask',
  'retryTask',
]);

/** Change every metadata object and list in a call's arguments or result (frozen ones stay as they are). */
function scribble(value: unknown, depth = 0): void {
  if (Array.isArray(value)) {
    // The arguments, then a list of tasks or inputs: no deeper (a generated array may contain itself).
    if (depth < 2) for (const item of value) scribble(item, depth + 1);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  try {
    const metadata = record.metadata;
    if (typeof metadata === 'object' && metadata !== null) (metadata as Record<string, unknown>).scribbled = true;
    for (const list of [record.requires, record.dependsOn]) if (Array.isArray(list)) list.push('scribbled');
  } catch {
    // Frozen, or a hostile object that refuses: nothing to change.
  }
}

const READ_ONLY: ReadonlySet<Method> = new Set(['getTask', 'getTasks', 'getStats', 'getTaskHistory', 'onChange']);

/** The read-back checks of a call that succeeded. */
async function checkSuccess(
  c: Case,
  call: Call,
  args: unknown[],
  result: unknown,
  before: StoreState,
  after: StoreState,
): Promise<void> {
  const { store, clock, world } = c;
  const now = clock.now();
  if (READ_ONLY.has(call.method) && after.text !== before.text) {
    fail(call, `a read changed the store: tasks ${changedIds(before, after).join(', ')}`);
  }
  const readBack = (id: string) => after.tasks.get(id) ?? null;
  switch (call.method) {
    case 'createTask':
    case 'createTasks': {
      const inputs = (call.method === 'createTask' ? [args[0]] : args[0]) as Record<string, unknown>[];
      const tasks = (call.method === 'createTask' ? [result] : result) as Task[];
      if (!Array.isArray(tasks) || tasks.length !== inputs.length) fail(call, 'did not return one task per input');
      const byKey = new Map<string, Task>();
      for (const [index, input] of inputs.entries()) {
        const task = tasks[index] as Task;
        const key = input.idempotencyKey as string | undefined;
        const existing =
          key === undefined ? undefined : [...before.tasks.values()].find((t) => t.idempotencyKey === key);
        if (existing)
          expectEqual(call, `inputs[${index}] repeats key ${JSON.stringify(key)}: the existing task`, task, existing);
        else if (key !== undefined && byKey.has(key))
          expectEqual(call, `inputs[${index}] repeats a key of the batch`, task, byKey.get(key));
        else {
          expectCreated(call, task, input, now);
          if (key !== undefined) byKey.set(key, task);
          world.ids.push(task.id);
          if (key !== undefined) world.keys.push(key);
        }
        expectEqual(call, `task ${task.id} as returned and as read back`, task, readBack(task.id));
      }
      const existingKeys = new Set([...before.tasks.values()].map((t) => t.idempotencyKey));
      const onlyRepeats = inputs.every(
        (input) => input.idempotencyKey !== undefined && existingKeys.has(input.idempotencyKey as string),
      );
      if (onlyRepeats && after.text !== before.text)
        fail(call, 'repeated only existing idempotency keys but changed the store');
      return;
    }
    case 'updateTask': {
      const [id, update] = args as [string, Record<string, unknown>];
      if (result === null) {
        if (before.tasks.has(id)) fail(call, `returned null for existing task ${id}`);
        return;
      }
      const task = result as Task;
      for (const field of ['status', 'assignedAgent', 'result', 'error', 'metadata'] as const) {
        if (update[field] !== undefined) expectEqual(call, `updated ${field}`, task[field], update[field]);
      }
      expectEqual(call, `task ${id} as returned and as read back`, task, readBack(id));
      return;
    }
    case 'getTask': {
      expectEqual(call, 'the task read', result, before.tasks.get(args[0] as string) ?? null);
      return;
    }
    case 'getTasks': {
      const filter = (args[0] ?? {}) as Record<string, unknown>;
      const tasks = result as Task[];
      for (const task of tasks) {
        expectEqual(call, `listed task ${task.id}`, task, before.tasks.get(task.id));
        for (const field of ['status', 'priority', 'assignedAgent'] as const) {
          if (filter[field] !== undefined && task[field] !== filter[field]) {
            fail(
              call,
              `listed task ${task.id} whose ${field} ${JSON.stringify(task[field])} does not match the filter`,
            );
          }
        }
      }
      // The exact page: the full listing filtered, after the cursor, then offset and limit.
      const matches = (id: string) => {
        const task = before.tasks.get(id) as Task;
        return (['status', 'priority', 'assignedAgent'] as const).every(
          (field) => filter[field] === undefined || task[field] === filter[field],
        );
      };
      const from = filter.after === undefined ? 0 : before.order.indexOf(filter.after as string) + 1;
      const start = (filter.offset as number | undefined) ?? 0;
      const limit = filter.limit as number | undefined;
      const page = before.order
        .slice(from)
        .filter(matches)
        .slice(start, limit === undefined ? undefined : start + limit);
      expectEqual(
        call,
        'the listed ids',
        tasks.map((task) => task.id),
        page,
      );
      return;
    }
    case 'getStats':
      expectEqual(call, 'stats', result, before.stats);
      return;
    case 'getTaskHistory':
      expectEqual(call, 'history', result, before.histories.get(args[0] as string) ?? []);
      return;
    case 'onChange':
      if (typeof result !== 'function') fail(call, 'did not return an unsubscribe function');
      (result as () => void)();
      return;
    case 'claimTask':
    case 'claimTasks': {
      const tasks = (call.method === 'claimTask' ? (result === null ? [] : [result]) : result) as Task[];
      if (call.method === 'claimTasks' && tasks.length > (args[1] as number)) fail(call, 'claimed more than the limit');
      const options = (call.method === 'claimTask' ? args[1] : args[2]) as
        | { capabilities?: string[]; exclusive?: boolean }
        | undefined;
      for (const task of tasks) {
        expectEqual(call, 'the claim', [task.status, task.assignedAgent], [TaskStatus.CLAIMED, args[0]]);
        const last = after.histories.get(task.id)?.at(-1);
        expectEqual(call, 'the claim in the history', [last?.to, last?.agent], [TaskStatus.CLAIMED, args[0]]);
        const capabilities = options?.capabilities;
        if (capabilities !== undefined && !(task.requires ?? []).every((need) => capabilities.includes(need))) {
          fail(call, `claimed task ${task.id} requiring ${JSON.stringify(task.requires)} beyond the capabilities`);
        }
        if (options?.exclusive === true && task.requires === undefined) {
          fail(call, `an exclusive claim took task ${task.id}, which requires nothing`);
        }
        expectEqual(call, `task ${task.id} as claimed and as read back`, task, readBack(task.id));
        world.leases.push({ id: task.id, leaseToken: task.leaseToken });
      }
      return;
    }
    case 'startTask':
      expectEqual(call, 'status after start', readBack((args[0] as TaskLease).id)?.status, TaskStatus.IN_PROGRESS);
      return;
    case 'heartbeat': {
      const lease = args[0] as TaskLease;
      expectEqual(call, 'lease expiry', result, { leaseExpiresAt: readBack(lease.id)?.leaseExpiresAt });
      return;
    }
    case 'completeTask': {
      const task = readBack((args[0] as TaskLease).id);
      expectEqual(call, 'completed task', [task?.status, task?.result], [TaskStatus.COMPLETED, args[1]]);
      return;
    }
    case 'startTasks':
    case 'completeTasks': {
      const items = args[0] as unknown[];
      const leases = (
        call.method === 'startTasks' ? items : items.map((item) => (item as { lease: TaskLease }).lease)
      ) as TaskLease[];
      const outcomes = result as { id: string; ok: boolean; error?: unknown }[];
      if (!Array.isArray(outcomes) || outcomes.length !== items.length)
        fail(call, 'did not return one outcome per item');
      const done = new Set<string>();
      for (const [index, outcome] of outcomes.entries()) {
        const lease = leases[index] as TaskLease;
        expectEqual(call, `outcomes[${index}].id`, outcome.id, lease.id);
        if (!outcome.ok) {
          const error = outcome.error;
          if (!OmcError.isInstance(error) || error.code !== 'OMC_LEASE_LOST') {
            fail(call, `outcomes[${index}] is refused with something else than a LeaseLostError: ${String(error)}`);
          }
          continue;
        }
        if (done.has(lease.id)) continue;
        done.add(lease.id);
        const task = readBack(lease.id);
        if (call.method === 'startTasks')
          expectEqual(call, `task ${lease.id} status`, task?.status, TaskStatus.IN_PROGRESS);
        else {
          const given = (items[index] as { result?: unknown }).result;
          expectEqual(call, `completed task ${lease.id}`, [task?.status, task?.result], [TaskStatus.COMPLETED, given]);
        }
      }
      if (outcomes.every((outcome) => !outcome.ok) && after.text !== before.text) {
        fail(call, `refused every item but changed the store: tasks ${changedIds(before, after).join(', ')}`);
      }
      return;
    }
    case 'failTask': {
      const lease = args[0] as TaskLease;
      const task = readBack(lease.id);
      const outcome = result as { status: string };
      expectEqual(call, 'failed task', [task?.status, task?.error], [outcome.status, args[1]]);
      expectEqual(call, 'the error in the history', after.histories.get(lease.id)?.at(-1)?.reason, args[1]);
      return;
    }
    case 'releaseTask': {
      const lease = args[0] as TaskLease;
      const reason = (args[1] as { reason?: unknown } | undefined)?.reason ?? 'released by its holder';
      expectEqual(call, 'released task status', readBack(lease.id)?.status, TaskStatus.PENDING);
      expectEqual(call, 'the release reason in the history', after.histories.get(lease.id)?.at(-1)?.reason, reason);
      return;
    }
    case 'cancelTask':
    case 'retryTask': {
      const id = args[0] as string;
      if (result === null) {
        if (before.tasks.has(id)) fail(call, `returned null for existing task ${id}`);
        return;
      }
      const task = result as Task;
      expectEqual(call, `task ${id} as returned and as read back`, task, readBack(id));
      const options = (args[1] ?? {}) as { reason?: unknown; runAt?: unknown };
      if (call.method === 'cancelTask') {
        expectEqual(call, 'status', task.status, TaskStatus.CANCELLED);
        if (options.reason !== undefined) {
          expectEqual(
            call,
            'the cancel reason in the history',
            after.histories.get(id)?.at(-1)?.reason,
            options.reason,
          );
        }
      } else {
        expectEqual(call, 'status', task.status, TaskStatus.PENDING);
        const runAt = typeof options.runAt === 'number' && options.runAt > now ? options.runAt : undefined;
        expectEqual(call, 'runAt', task.runAt, runAt);
      }
      return;
    }
    case 'deleteTask': {
      const id = args[0] as string;
      expectEqual(call, 'whether it deleted', result, before.tasks.has(id));
      if (after.tasks.has(id) || (await store.getTask(id)) !== null) fail(call, `task ${id} is still there`);
      return;
    }
    case 'reclaimExpired':
    case 'clearAll':
    case 'close':
    case 'specificationVersion':
      return;
  }
}

/** Run a property over sequences of calls, each case on a fresh seeded store; print what it ran. */
async function assertCalls(target: ConformanceTarget, calls: fc.Arbitrary<Call>, defaultRuns: number, label: string) {
  const tally = newTally();
  const settings = fuzzSettings(defaultRuns);
  await fc.assert(
    fc.asyncProperty(fc.array(calls, { minLength: 1, maxLength: 6 }), async (sequence) => {
      tally.cases++;
      const c = await seededCase(target);
      try {
        for (const step of sequence) await runCall(c, step, tally);
      } finally {
        await c.store.close();
      }
    }),
    { seed: settings.seed, numRuns: settings.numRuns },
  );
  console.log(`fuzz-inputs ${target.name} (${label}), seed ${settings.seed}: ${describeTally(tally)}`);
}

/** Options of {@link describeInputFuzz}. */
export interface InputFuzzOptions {
  /**
   * Cases per property when `OMC_FUZZ_RUNS` is not set: size it so CI spends under a minute (a fresh store
   * per case costs far more on a file than in memory). Default 200.
   */
  runs?: number;
}

/**
 * Register the property-based bad-input suite with vitest: sequences of generated calls of every public
 * `TaskStore` method, from valid to hostile (wrong types, holes, `null`s, huge and deep values, non-JSON
 * metadata, getters and Proxies, lone surrogates, `__proto__` keys, SQL metacharacters, unknown ids,
 * stale leases), each case on a fresh store holding a task in every state. Each call must either
 * succeed, with what it stored reading back equal to what was given (and the objects passed in or
 * returned shared with nothing in the store), or be refused with an omc error (`OMC_INVALID_INPUT`,
 * `OMC_INVALID_TRANSITION` or `OMC_LEASE_LOST`) that changed nothing: every task, its history and the
 * stats are the same before and after. Two properties: calls that carry stored data, and every method.
 *
 * Seed and size come from `OMC_FUZZ_SEED` and `OMC_FUZZ_RUNS` (else a fixed seed and `runs`); a failure prints
 * fast-check's shrunk counterexample with its `{ seed, path }`, which replays it. Each property prints a
 * line with what it ran (cases, calls, refusals by code).
 *
 * ### Examples
 * ```ts
 * import { MemoryTaskStore } from '@omc/core/testing';
 * import { describeInputFuzz } from '@omc/store-conformance';
 *
 * describeInputFuzz({ name: 'MemoryTaskStore', createStore: (options) => new MemoryTaskStore(options) }, { runs: 4000 });
 * ```
 */
export function describeInputFuzz(given: ConformanceTarget, options: InputFuzzOptions = {}): void {
  const target = { ...given };
  const runs = options.runs ?? 200;
  // The calls reach every method, so a target lacking any capability skips them.
  describeNeeding(target, CONFORMANCE_CAPABILITIES, `${target.name}: generated inputs`, () => {
    it(
      'stored data (tasks, updates, results, errors) reads back as given, or is refused typed, writing nothing',
      () => assertCalls(target, dataCalls, runs, 'stored data'),
      TIMEOUT_MS,
    );
    it(
      'every method: hostile arguments are refused typed and change nothing; valid ones read back',
      () => assertCalls(target, everyCall, runs, 'every method'),
      TIMEOUT_MS,
    );
  });
  reportSkips(target);
}

/** A long `pnpm fuzz` run is one test: no per-test timeout short of a day. */
const TIMEOUT_MS = 24 * 60 * 60 * 1000;
