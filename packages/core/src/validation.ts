import { type Clock, systemClock } from './clock.js';
import { describeValue as describe } from './describe-value.js';
import { InvalidInputError } from './errors.js';
import type { LeasePolicy, TaskLease } from './lease.js';
import { type LeaseOptions, resolveLeaseOptions } from './lease-options.js';
import {
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskFilter,
  type TaskMetadata,
  TaskPriority,
  type TaskStatus,
  type UpdateTaskInput,
} from './task.js';
import { validateInteger, validateOptionalInteger } from './validate-integer.js';

/** Default largest serialised metadata, in UTF-8 bytes. Stores accept a `maxMetadataBytes` option. */
export const DEFAULT_MAX_METADATA_BYTES = 256 * 1024;

/** Limits a store applies to input. */
export interface ValidationLimits {
  /** Largest serialised metadata, in UTF-8 bytes. */
  maxMetadataBytes: number;
}

const DEFAULT_LIMITS: ValidationLimits = Object.freeze({ maxMetadataBytes: DEFAULT_MAX_METADATA_BYTES });

/** The options every store takes: a clock, the metadata limit and the lease options. */
export interface StoreOptions extends LeaseOptions {
  clock?: Clock;
  maxMetadataBytes?: number;
}

/** {@link StoreOptions} checked and completed with the defaults. */
export interface ResolvedStoreOptions {
  clock: Clock;
  limits: ValidationLimits;
  policy: LeasePolicy;
  random: () => number;
}

/**
 * Check a store constructor's options and apply the defaults; `undefined` is no options, `null` and
 * non-objects are refused. A store calls this first, before it opens anything.
 *
 * ### Examples
 * ```ts
 * resolveStoreOptions({ maxMetadataBytes: 1024 }).limits.maxMetadataBytes; // 1024
 * ```
 */
export function resolveStoreOptions(options: unknown): ResolvedStoreOptions {
  return readingInput('options', () => unguardedResolveStoreOptions(options));
}

function unguardedResolveStoreOptions(options: unknown): ResolvedStoreOptions {
  const raw = validateOptions('The store constructor', options) as StoreOptions & Record<string, unknown>;
  const clock: unknown = raw.clock;
  if (
    clock !== undefined &&
    (typeof clock !== 'object' || clock === null || typeof (clock as { now?: unknown }).now !== 'function')
  ) {
    throw new InvalidInputError(
      'clock',
      `clock must be an object with a now() method returning epoch ms, got ${describe(clock)}.`,
    );
  }
  const maxMetadataBytes = validateOptionalInteger('maxMetadataBytes', raw.maxMetadataBytes, {
    min: 1,
    what: 'UTF-8 bytes of JSON',
  });
  const { policy, random } = resolveLeaseOptions(raw);
  return {
    clock: (clock as Clock | undefined) ?? systemClock,
    limits: { maxMetadataBytes: maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES },
    policy,
    random,
  };
}

/** A create input checked and normalised: priority defaulted, metadata serialised once. */
export interface ValidCreateInput {
  /** The caller's id for the task, or `undefined` for a fresh one. */
  id: string | undefined;
  title: string;
  description: string;
  priority: TaskPriority;
  metadata: TaskMetadata | undefined;
  /** `JSON.stringify(metadata)`, or `undefined` when there is none. */
  metadataJson: string | undefined;
  maxAttempts: number | undefined;
  runAt: number | undefined;
  leaseMs: number | undefined;
  timeoutMs: number | undefined;
  idempotencyKey: string | undefined;
  /** Sorted, deduplicated; `undefined` when none are required. */
  requires: string[] | undefined;
  /** In the given order; `undefined` when there are none. */
  dependsOn: string[] | undefined;
}

/** Most capabilities a task may require, and the longest capability name. */
export const MAX_REQUIRED_CAPABILITIES = 32;
export const MAX_CAPABILITY_LENGTH = 64;
/** Most dependencies a task may have. */
export const MAX_DEPENDENCIES = 1000;

/** Longest idempotency key, in UTF-16 units. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Whether `error` is one of ours; false for anything whose prototype cannot even be read (a revoked Proxy). */
function isOwnError(error: unknown): boolean {
  try {
    return error instanceof InvalidInputError;
  } catch {
    return false;
  }
}

/** What a thrown value says, without throwing again. */
function thrownMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'a value that cannot be shown';
  }
}

/**
 * Run a check that reads the caller's objects. A getter or Proxy trap that throws, or a revoked Proxy,
 * makes the input unreadable: bad input, refused with `InvalidInputError` naming it, never a raw
 * `TypeError` from inside the store.
 */
function readingInput<T>(field: string, check: () => T, taskId?: string): T {
  try {
    return check();
  } catch (error) {
    if (isOwnError(error)) throw error;
    throw new InvalidInputError(
      field,
      `${field} could not be read (${thrownMessage(error)}); pass plain data: objects and arrays without getters or Proxies that throw.`,
      { taskId, cause: error },
    );
  }
}

/** Largest lease or timeout accepted, in ms: about 24.8 days. */
const MAX_DURATION_MS = 2 ** 31 - 1;

// With the `u` flag a surrogate pair is one code point, so this matches only a lone (unpaired) surrogate.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate): only such text survives the UTF-8
 * round trip through a database unchanged. Node 20's `String.prototype.isWellFormed`, without needing
 * the ES2024 lib.
 *
 * ### Examples
 * ```ts
 * isWellFormedText('a\u{1F600}b'); // true
 * isWellFormedText('a\uD800b'); // false
 * ```
 */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** Refuse text that would not read back equal: every string input of every store passes here. */
function requireWellFormed(field: string, value: string, taskId?: string, where = field): string {
  if (!isWellFormedText(value)) {
    const at = value.search(LONE_SURROGATE);
    throw new InvalidInputError(
      field,
      `${where} is not well-formed Unicode: a lone surrogate at index ${at} (text cut in the middle of a character?); it would be stored as U+FFFD. Pass text that round-trips (string.toWellFormed() replaces it).`,
      { taskId },
    );
  }
  return value;
}

function requireText(field: string, value: unknown, taskId?: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new InvalidInputError(field, `${field} must be a non-empty string, got ${describe(value)}.`, { taskId });
  }
  return requireWellFormed(field, value, taskId);
}

function optionalString(field: string, value: unknown, taskId?: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InvalidInputError(field, `${field} must be a string, got ${describe(value)}.`, { taskId });
  }
  return requireWellFormed(field, value, taskId);
}

/** Whether a value is one of {@link TaskPriority}'s integers. */
export function isTaskPriority(value: unknown): value is TaskPriority {
  return TASK_PRIORITIES.includes(value as TaskPriority);
}

/** Whether a value is one of {@link TaskStatus}'s strings. */
export function isTaskStatus(value: unknown): value is TaskStatus {
  return TASK_STATUSES.includes(value as TaskStatus);
}

function requirePriority(field: string, value: unknown, taskId?: string): TaskPriority {
  if (!isTaskPriority(value)) {
    throw new InvalidInputError(
      field,
      `${field} must be an integer from 0 (LOW) to 3 (CRITICAL), got ${describe(value)}. Use TaskPriority.LOW … TaskPriority.CRITICAL.`,
      { taskId },
    );
  }
  // -0 passes the check but reads back from a database as 0: return what will be stored.
  return (value === 0 ? 0 : value) as TaskPriority;
}

function requireStatus(field: string, value: unknown, taskId?: string): TaskStatus {
  if (!isTaskStatus(value)) {
    throw new InvalidInputError(field, `${field} must be one of ${TASK_STATUSES.join(', ')}, got ${describe(value)}.`, {
      taskId,
    });
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Deepest metadata nesting accepted: far beyond real payloads, far below what a stack can recurse. */
export const MAX_METADATA_DEPTH = 64;

/** A metadata key as a path step: `.name` when it reads as one, `["odd key"]` otherwise. */
function pathStep(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** What {@link copyPlainData} found: the copy to serialise, or what is wrong, with its path. */
type PlainDataCheck = { copy: unknown; problem?: undefined } | { copy?: undefined; problem: string };

/**
 * Copy a value as plain data, or find what would not come back unchanged from JSON: values it cannot
 * encode (BigInt, cycles), drops (functions, symbols, symbol keys) or mangles (NaN, -0, holes and
 * `undefined` in arrays, Map, Set, Date, class instances, lone surrogates), and nesting deeper than
 * {@link MAX_METADATA_DEPTH}.
 *
 * Every property is read once, and the copy, which is what was checked, is what gets serialised: a
 * getter (or a Proxy) could otherwise pass the check with one value and hand `JSON.stringify` another,
 * stored unchecked (a getter answering 1, then NaN, was stored as null).
 *
 * Iterative, with an explicit stack: input nested thousands deep must be refused, not overflow the
 * call stack (the depth bound also keeps `JSON.stringify` and `JSON.parse` from overflowing later).
 */
function copyPlainData(root: unknown, rootPath: string): PlainDataCheck {
  interface Frame {
    value: unknown;
    path: string;
    depth: number;
    inArray: boolean;
    /** Where the copy of `value` goes: `parent[key]` (the root's holder for the root). */
    parent: Record<string, unknown> | unknown[];
    key: string | number;
    /** Set on the marker frame pushed after an object's children: leave the object's path. */
    leave?: object;
  }
  const holder: Record<string, unknown> = {};
  // Only the objects on the current path count: the same object twice in different places is fine.
  const onPath = new Set<object>();
  const stack: Frame[] = [{ value: root, path: rootPath, depth: 0, inArray: false, parent: holder, key: 'root' }];
  const problem = (text: string): PlainDataCheck => ({ problem: text });
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.leave) {
      onPath.delete(frame.leave);
      continue;
    }
    const { value, path, depth, inArray, parent, key } = frame;
    switch (typeof value) {
      case 'string':
        if (!isWellFormedText(value)) return problem(`${path} has a lone surrogate, which is stored as U+FFFD`);
        setCopy(parent, key, value);
        continue;
      case 'boolean':
        setCopy(parent, key, value);
        continue;
      case 'number':
        if (!Number.isFinite(value)) return problem(`${path} is ${value}, which JSON turns into null`);
        // Refused rather than stored as something else: it would read back as 0.
        if (Object.is(value, -0)) return problem(`${path} is -0, which JSON turns into 0`);
        setCopy(parent, key, value);
        continue;
      case 'bigint':
        return problem(`${path} is a BigInt, which JSON cannot encode; store it as a string`);
      case 'function':
        return problem(`${path} is a function, which JSON drops`);
      case 'symbol':
        return problem(`${path} is a symbol, which JSON drops`);
      case 'undefined':
        // An undefined property simply reads back as absent; in an array it would read back as null.
        if (inArray) return problem(`${path} is undefined, which JSON turns into null`);
        continue;
    }
    if (value === null) {
      setCopy(parent, key, null);
      continue;
    }
    const object = value as object;
    if (onPath.has(object)) return problem(`${path} refers back to itself (a cycle)`);
    const isArray = Array.isArray(object);
    if (isArray ? Object.getPrototypeOf(object) !== Array.prototype : !isPlainObject(object)) {
      const kind = (object.constructor as { name?: string } | undefined)?.name || 'object with a prototype';
      return problem(
        `${path} is a ${kind}, which JSON does not keep; convert it to plain data (a Date to date.toISOString(), a Map to Object.fromEntries(map))`,
      );
    }
    if (depth >= MAX_METADATA_DEPTH) {
      return problem(`${path} is nested more than ${MAX_METADATA_DEPTH} levels deep, the limit; flatten it`);
    }
    if (Object.getOwnPropertySymbols(object).length > 0) return problem(`${path} has a symbol key, which JSON drops`);
    onPath.add(object);
    stack.push({ value: undefined, path, depth, inArray: false, parent, key, leave: object });
    if (isArray) {
      const array = object as unknown[];
      // Named properties on an array (`Object.assign([], { note: 1 })`) are dropped by JSON.
      if (Object.keys(array).length > array.length) {
        return problem(`${path} is an array with named properties, which JSON drops`);
      }
      const copy = new Array<unknown>(array.length);
      setCopy(parent, key, copy);
      // Pushed last to first, so the first problem found is the first in reading order.
      for (let i = array.length - 1; i >= 0; i--) {
        if (!(i in array)) return problem(`${path}[${i}] is a hole (a sparse array), which JSON turns into null`);
        stack.push({ value: array[i], path: `${path}[${i}]`, depth: depth + 1, inArray: true, parent: copy, key: i });
      }
    } else {
      const copy: Record<string, unknown> = {};
      setCopy(parent, key, copy);
      const entries = Object.entries(object);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [name, child] = entries[i] as [string, unknown];
        if (!isWellFormedText(name))
          return problem(`${path} has a key with a lone surrogate, which is stored as U+FFFD`);
        const at = `${path}${pathStep(name)}`;
        stack.push({ value: child, path: at, depth: depth + 1, inArray: false, parent: copy, key: name });
      }
    }
  }
  return { copy: holder.root };
}

/** Set a property of a copy; a `__proto__` key stays an own key rather than setting the prototype. */
function setCopy(parent: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (parent as Record<string | number, unknown>)[key] = value;
  }
}

const encoder = new TextEncoder();

/**
 * Check metadata and serialise it once. Refuses non-objects, values JSON cannot keep (functions,
 * symbols, BigInt, cycles, NaN/Infinity) and serialisations over `maxMetadataBytes`.
 */
export function serialiseMetadata(
  value: unknown,
  limits: ValidationLimits = DEFAULT_LIMITS,
  taskId?: string,
): { metadata: TaskMetadata | undefined; json: string | undefined } {
  return readingInput('metadata', () => unguardedSerialiseMetadata(value, limits, taskId), taskId);
}

function unguardedSerialiseMetadata(
  value: unknown,
  limits: ValidationLimits = DEFAULT_LIMITS,
  taskId?: string,
): { metadata: TaskMetadata | undefined; json: string | undefined } {
  if (value === undefined) return { metadata: undefined, json: undefined };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError('metadata', `metadata must be a plain object, got ${describe(value)}.`, { taskId });
  }
  // A getter that throws or a revoked Proxy throws here; serialiseMetadata refuses it as unreadable.
  const { copy, problem } = copyPlainData(value, 'metadata');
  if (problem !== undefined) {
    throw new InvalidInputError('metadata', `metadata is not JSON-serialisable: ${problem}.`, { taskId });
  }
  let json: string;
  try {
    json = JSON.stringify(copy);
  } catch (error) {
    // What the walk above lets through can still be longer than a string may be (RangeError).
    throw new InvalidInputError(
      'metadata',
      `metadata cannot be serialised (${(error as Error).message}), far over the limit of ${limits.maxMetadataBytes} bytes.`,
      { taskId, cause: error },
    );
  }
  // Each UTF-16 unit encodes to at most 3 UTF-8 bytes: encode only when the cheap bound is not enough.
  if (json.length * 3 > limits.maxMetadataBytes) {
    const bytes = encoder.encode(json).length;
    if (bytes > limits.maxMetadataBytes) {
      throw new InvalidInputError(
        'metadata',
        `metadata is ${bytes} bytes as JSON, over the limit of ${limits.maxMetadataBytes}. Store large payloads elsewhere and keep a reference, or raise maxMetadataBytes.`,
        { taskId },
      );
    }
  }
  return { metadata: copy as TaskMetadata, json };
}

/**
 * Check a `createTask` input and apply defaults.
 *
 * ### Examples
 * ```ts
 * validateCreateInput({ title: 'Build', description: 'Build it' }).priority; // TaskPriority.MEDIUM
 * ```
 */
export function validateCreateInput(input: unknown, limits: ValidationLimits = DEFAULT_LIMITS): ValidCreateInput {
  return readingInput('input', () => unguardedValidateCreateInput(input, limits));
}

function unguardedValidateCreateInput(input: unknown, limits: ValidationLimits = DEFAULT_LIMITS): ValidCreateInput {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidInputError(
      'input',
      `createTask needs an object with a title and a description, got ${describe(input)}.`,
    );
  }
  const raw = input as Record<string, unknown>;
  const title = requireText('title', raw.title);
  const description = requireText('description', raw.description);
  const priority = raw.priority === undefined ? TaskPriority.MEDIUM : requirePriority('priority', raw.priority);
  const { metadata, json } = serialiseMetadata(raw.metadata, limits);
  const maxAttempts = validateOptionalInteger('maxAttempts', raw.maxAttempts, { min: 1, max: 10_000 });
  const runAt = validateOptionalInteger('runAt', raw.runAt, { min: 0 });
  const leaseMs = validateOptionalInteger('leaseMs', raw.leaseMs, { min: 1, max: MAX_DURATION_MS });
  const timeoutMs = validateOptionalInteger('timeoutMs', raw.timeoutMs, { min: 1, max: MAX_DURATION_MS });
  let idempotencyKey: string | undefined;
  if (raw.idempotencyKey !== undefined) {
    idempotencyKey = requireText('idempotencyKey', raw.idempotencyKey);
    if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new InvalidInputError(
        'idempotencyKey',
        `idempotencyKey is ${idempotencyKey.length} characters, over the limit of ${MAX_IDEMPOTENCY_KEY_LENGTH}; use a hash of it.`,
      );
    }
  }
  return {
    id: validateNewTaskId(raw.id),
    title,
    description,
    priority,
    metadata,
    metadataJson: json,
    maxAttempts,
    runAt,
    leaseMs,
    timeoutMs,
    idempotencyKey,
    requires: validateCapabilities('requires', raw.requires),
    dependsOn: validateDependsOn(raw.dependsOn),
  };
}

/**
 * Check a list of capability names (a task's `requires`, an agent's capabilities): sorted and
 * deduplicated, `undefined` when empty.
 *
 * ### Examples
 * ```ts
 * validateCapabilities('requires', ['test', 'code', 'test']); // ['code', 'test']
 * ```
 */
export function validateCapabilities(field: string, value: unknown): string[] | undefined {
  return readingInput(field, () => unguardedValidateCapabilities(field, value));
}

function unguardedValidateCapabilities(field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new InvalidInputError(field, `${field} must be an array of capability names, got ${describe(value)}.`);
  }
  if (value.length > MAX_REQUIRED_CAPABILITIES) {
    throw new InvalidInputError(
      field,
      `${field} lists ${value.length} capabilities, over the limit of ${MAX_REQUIRED_CAPABILITIES}.`,
    );
  }
  const names = new Set<string>();
  // entries() reads a hole as undefined, which the string check below refuses.
  for (const [index, name] of value.entries()) {
    // The error names the list (`requires`), as for every other fault in it; the message gives the index.
    if (typeof name !== 'string' || name.trim().length === 0) {
      throw new InvalidInputError(field, `${field}[${index}] must be a non-empty string, got ${describe(name)}.`);
    }
    if (name.length > MAX_CAPABILITY_LENGTH) {
      throw new InvalidInputError(
        field,
        `${field}[${index}] is ${name.length} characters, over the limit of ${MAX_CAPABILITY_LENGTH}.`,
      );
    }
    names.add(requireWellFormed(field, name, undefined, `${field}[${index}]`));
  }
  return names.size === 0 ? undefined : [...names].sort();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function validateNewTaskId(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new InvalidInputError(
      'id',
      `id must be a lowercase UUID (e.g. from newTaskId()), got ${describe(value)}; or omit it for a fresh one.`,
    );
  }
  return value;
}

function validateDependsOn(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new InvalidInputError('dependsOn', `dependsOn must be an array of task ids, got ${describe(value)}.`);
  }
  if (value.length > MAX_DEPENDENCIES) {
    throw new InvalidInputError(
      'dependsOn',
      `dependsOn lists ${value.length} tasks, over the limit of ${MAX_DEPENDENCIES}; make an intermediate task.`,
    );
  }
  const ids = new Set<string>();
  for (const [index, id] of value.entries()) {
    if (typeof id !== 'string' || id.trim().length === 0) {
      throw new InvalidInputError('dependsOn', `dependsOn[${index}] must be a task id, got ${describe(id)}.`);
    }
    requireWellFormed('dependsOn', id, undefined, `dependsOn[${index}]`);
    if (ids.has(id)) {
      throw new InvalidInputError('dependsOn', `dependsOn lists task ${id} twice; list each dependency once.`);
    }
    ids.add(id);
  }
  return ids.size === 0 ? undefined : [...ids];
}

/**
 * Check `createTasks`' argument: an array of create inputs, each checked.
 *
 * ### Examples
 * ```ts
 * const valid = validateCreateInputs([{ title: 'a', description: 'b' }]);
 * ```
 */
export function validateCreateInputs(inputs: unknown, limits: ValidationLimits = DEFAULT_LIMITS): ValidCreateInput[] {
  return readingInput('inputs', () => unguardedValidateCreateInputs(inputs, limits));
}

function unguardedValidateCreateInputs(inputs: unknown, limits: ValidationLimits = DEFAULT_LIMITS): ValidCreateInput[] {
  const items = requireGroup('inputs', inputs);
  return items.map((input, index) => {
    if (typeof input !== 'object' || input === null) {
      throw new InvalidInputError(
        items.length === 1 ? 'input' : `inputs[${index}]`,
        `${items.length === 1 ? 'createTask' : `createTasks' inputs[${index}]`} needs an object with a title and a description, got ${describe(input)}.`,
      );
    }
    return validateCreateInput(input, limits);
  });
}

/**
 * The items of a grouped write, which must be an array without holes. Copied into a dense array:
 * `map` skips holes, so a sparse argument would otherwise reach the store as missing items.
 */
function requireGroup(field: string, items: unknown): unknown[] {
  if (!Array.isArray(items)) {
    throw new InvalidInputError(field, `${field} must be an array, got ${describe(items)}.`);
  }
  const dense: unknown[] = [];
  for (let index = 0; index < items.length; index++) {
    if (!(index in items)) {
      throw new InvalidInputError(
        `${field}[${index}]`,
        `${field}[${index}] is a hole (a sparse array); pass an array of items without gaps.`,
      );
    }
    dense.push(items[index]);
  }
  return dense;
}

/**
 * Check `startTasks`' argument: an array of leases.
 *
 * ### Examples
 * ```ts
 * const leases = validateLeases(pool.claimTasks('worker-1', 8));
 * ```
 */
export function validateLeases(leases: unknown): TaskLease[] {
  return readingInput('leases', () => unguardedValidateLeases(leases));
}

function unguardedValidateLeases(leases: unknown): TaskLease[] {
  return requireGroup('leases', leases).map((lease, index) => validateLease(lease, `leases[${index}]`));
}

/**
 * Check `completeTasks`' argument: an array of `{ lease, result? }`.
 *
 * ### Examples
 * ```ts
 * const items = validateCompletions([{ lease: task, result: 'done' }]); // [{ id, leaseToken, result }]
 * ```
 */
export function validateCompletions(completions: unknown): Array<TaskLease & { result: string | undefined }> {
  return readingInput('completions', () => unguardedValidateCompletions(completions));
}

function unguardedValidateCompletions(completions: unknown): Array<TaskLease & { result: string | undefined }> {
  return requireGroup('completions', completions).map((completion, index) => {
    if (typeof completion !== 'object' || completion === null) {
      throw new InvalidInputError(
        `completions[${index}]`,
        `completions[${index}] must be { lease, result? }, got ${describe(completion)}.`,
      );
    }
    const { lease: rawLease, result } = completion as { lease?: unknown; result?: unknown };
    const lease = validateLease(rawLease, `completions[${index}].lease`);
    return { ...lease, result: validateOptionalText(`completions[${index}].result`, result, lease.id) };
  });
}

/**
 * Check a lease argument of a fenced write: an object with the task's `id` and the `leaseToken` its
 * claim returned (a claimed `Task` is one).
 */
export function validateLease(lease: unknown, field = 'lease'): TaskLease {
  return readingInput(field, () => unguardedValidateLease(lease, field));
}

function unguardedValidateLease(lease: unknown, field = 'lease'): TaskLease {
  if (typeof lease !== 'object' || lease === null) {
    throw new InvalidInputError(
      field,
      `${field === 'lease' ? '' : `${field}: `}Expected the claimed task (or { id, leaseToken }) that claimTask returned, got ${describe(lease)}.`,
    );
  }
  const raw = lease as Record<string, unknown>;
  const id = requireText(`${field}.id`, raw.id);
  const leaseToken = validateOptionalInteger(`${field}.leaseToken`, raw.leaseToken, { min: 1, taskId: id });
  if (leaseToken === undefined) {
    throw new InvalidInputError(
      `${field}.leaseToken`,
      `The lease on task ${id} has no leaseToken; pass the claimed task.`,
      {
        taskId: id,
      },
    );
  }
  return { id, leaseToken };
}

/**
 * Check an optional options argument: `undefined` is no options; `null`, arrays and other non-objects
 * are refused (a default parameter does not replace `null`, so it would fail later as a TypeError).
 *
 * ### Examples
 * ```ts
 * validateOptions('failTask', undefined); // {}
 * validateOptions('failTask', { retry: false }).retry; // false
 * ```
 */
export function validateOptions(method: string, options: unknown): Record<string, unknown> {
  return readingInput('options', () => unguardedValidateOptions(method, options));
}

function unguardedValidateOptions(method: string, options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidInputError(
      'options',
      `${method}'s options must be an object (or left out), got ${describe(options)}.`,
    );
  }
  // A copy, each option read once here: a getter the store read later could throw or answer otherwise.
  return { ...(options as Record<string, unknown>) };
}

/** Check an optional boolean option (e.g. `failTask`'s `retry`). */
export function validateOptionalBoolean(field: string, value: unknown, taskId?: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new InvalidInputError(field, `${field} must be true or false, got ${describe(value)}.`, { taskId });
}

/** Check an optional epoch-ms time argument (e.g. `retryTask`'s `runAt`). */
export function validateTime(field: string, value: unknown, taskId?: string): number | undefined {
  return validateOptionalInteger(field, value, { min: 0, taskId });
}

/** Check a required text argument (an error message, a reason). */
export function validateText(field: string, value: unknown, taskId?: string): string {
  return requireText(field, value, taskId);
}

/** Check an optional text argument. */
export function validateOptionalText(field: string, value: unknown, taskId?: string): string | undefined {
  return optionalString(field, value, taskId);
}

/** An update input checked, with its metadata serialised once. */
export interface ValidUpdateInput extends UpdateTaskInput {
  /** `JSON.stringify(metadata)` when metadata is given. */
  metadataJson?: string;
}

/** Check an `updateTask` input. Unknown keys are ignored. */
export function validateUpdateInput(
  taskId: string,
  update: unknown,
  limits: ValidationLimits = DEFAULT_LIMITS,
): ValidUpdateInput {
  return readingInput('update', () => unguardedValidateUpdateInput(taskId, update, limits), taskId);
}

function unguardedValidateUpdateInput(
  taskId: string,
  update: unknown,
  limits: ValidationLimits = DEFAULT_LIMITS,
): ValidUpdateInput {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    throw new InvalidInputError('update', `updateTask needs an object of fields to change, got ${describe(update)}.`, {
      taskId,
    });
  }
  const raw = update as Record<string, unknown>;
  const valid: ValidUpdateInput = {};
  if (raw.status !== undefined) valid.status = requireStatus('status', raw.status, taskId);
  if (raw.assignedAgent !== undefined) valid.assignedAgent = requireText('assignedAgent', raw.assignedAgent, taskId);
  const result = optionalString('result', raw.result, taskId);
  if (result !== undefined) valid.result = result;
  const error = optionalString('error', raw.error, taskId);
  if (error !== undefined) valid.error = error;
  if (raw.metadata !== undefined) {
    const { metadata, json } = serialiseMetadata(raw.metadata, limits, taskId);
    valid.metadata = metadata;
    valid.metadataJson = json;
  }
  return valid;
}

/** Most tasks one `claimTasks` call may take. */
export const MAX_CLAIM_BATCH = 1000;

/** Check `claimTasks`'s `limit`: an integer from 1 to {@link MAX_CLAIM_BATCH}. */
export function validateClaimLimit(limit: unknown): number {
  return validateInteger('limit', limit, { min: 1, max: MAX_CLAIM_BATCH, what: 'tasks to claim at once' });
}

/**
 * Check a claim's options. `capabilities` comes back sorted and deduplicated; an empty list stays an
 * empty list (the agent can do only tasks that require nothing), unlike an absent one (any task).
 *
 * ### Examples
 * ```ts
 * validateClaimOptions({ capabilities: ['test', 'code'] }).capabilities; // ['code', 'test']
 * ```
 */
export function validateClaimOptions(options: unknown): { capabilities: string[] | undefined; exclusive: boolean } {
  return readingInput('options', () => unguardedValidateClaimOptions(options));
}

function unguardedValidateClaimOptions(options: unknown): { capabilities: string[] | undefined; exclusive: boolean } {
  if (options === undefined) return { capabilities: undefined, exclusive: false };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidInputError(
      'options',
      `Claim options must be an object such as { capabilities: ['code'] }, got ${describe(options)}.`,
    );
  }
  const raw = options as { capabilities?: unknown; exclusive?: unknown };
  if (raw.exclusive !== undefined && typeof raw.exclusive !== 'boolean') {
    throw new InvalidInputError('exclusive', `exclusive must be true or false, got ${describe(raw.exclusive)}.`);
  }
  const exclusive = raw.exclusive === true;
  if (raw.capabilities === undefined) {
    if (exclusive) {
      throw new InvalidInputError(
        'exclusive',
        'An exclusive claim takes only tasks requiring its capabilities; pass capabilities with it.',
      );
    }
    return { capabilities: undefined, exclusive };
  }
  return { capabilities: validateCapabilities('capabilities', raw.capabilities) ?? [], exclusive };
}

/** Check a task id argument. */
export function validateTaskId(id: unknown): string {
  return requireText('id', id);
}

/** Check an agent name argument. */
export function validateAgentName(agentName: unknown): string {
  return requireText('agentName', agentName);
}

/** Check a `getTasks` filter. Unknown statuses or priorities are refused rather than matching nothing. */
export function validateFilter(filter: unknown): TaskFilter {
  return readingInput('filter', () => unguardedValidateFilter(filter));
}

function unguardedValidateFilter(filter: unknown): TaskFilter {
  if (filter === undefined) return {};
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new InvalidInputError('filter', `getTasks takes an optional filter object, got ${describe(filter)}.`);
  }
  const raw = filter as Record<string, unknown>;
  const valid: TaskFilter = {};
  if (raw.status !== undefined) valid.status = requireStatus('filter.status', raw.status);
  if (raw.priority !== undefined) valid.priority = requirePriority('filter.priority', raw.priority);
  if (raw.assignedAgent !== undefined) valid.assignedAgent = requireText('filter.assignedAgent', raw.assignedAgent);
  const limit = validateOptionalInteger('filter.limit', raw.limit, { min: 1 });
  if (limit !== undefined) valid.limit = limit;
  const offset = validateOptionalInteger('filter.offset', raw.offset, { min: 0 });
  if (offset !== undefined) valid.offset = offset;
  if (raw.after !== undefined) {
    valid.after = requireText('filter.after', raw.after);
    if (offset !== undefined) {
      throw new InvalidInputError('filter.offset', 'Use after (a cursor) or offset to page, not both.');
    }
  }
  return valid;
}
