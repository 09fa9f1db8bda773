import { ChangeListeners } from '../change-listeners.js';
import { compareClaimOrder, mayClaim } from '../claim-rules.js';
import { endedAs } from '../dependency-rules.js';
import { runSync, type Steps } from '../driver/steps.js';
import type {
  CheckedTaskRecord,
  ClaimRequest,
  DeletedTask,
  DependencyEnding,
  NewTaskRecord,
  ReclaimedTask,
  StoredTask,
  TaskCounts,
  TaskStoreDriver,
  VersionedWrite,
} from '../driver/task-store-driver.js';
import {
  isLeaseExpired,
  leaseLoss,
  planCancel,
  planClaim,
  planComplete,
  planExpiry,
  planHeartbeat,
  planStart,
  type TaskLease,
  type TaskTransition,
  transitionRecord,
} from '../lease.js';
import { dependencyReason } from '../reason-texts.js';
import { detached } from '../store/store-context.js';
import { type Task, type TaskFilter, TaskStatus } from '../task.js';
import { isTerminal } from '../transitions.js';

/**
 * One task as the memory driver keeps it. Entries are replaced, never changed in place, so a snapshot
 * of the maps is a consistent copy to roll a transaction back to.
 */
interface Entry {
  readonly seq: number;
  readonly version: number;
  readonly task: Task;
  /** Metadata is kept serialised, as a database would, so callers never share objects with the store. */
  readonly metadataJson: string | undefined;
  /**
   * The dependencies the task waits on or answers to, as a database keeps edges: those not yet COMPLETED
   * when it was created, less those deleted since. A deleted dependency's id stays in `dependsOn` but no
   * longer counts, even when a new task is created with it.
   */
  readonly edges: readonly string[];
}

/** The driver's whole state, copied by reference: what a transaction rolls back to. */
interface MemoryState {
  tasks: Map<string, Entry>;
  history: Map<string, readonly TaskTransition[]>;
  idempotencyKeys: Map<string, string>;
  /** Ids that tasks have depended on (the flag a database keeps on the row). */
  dependedOn: Set<string>;
  nextSeq: number;
}

function emptyState(): MemoryState {
  return { tasks: new Map(), history: new Map(), idempotencyKeys: new Map(), dependedOn: new Set(), nextSeq: 1 };
}

function copyOf(state: MemoryState): MemoryState {
  return {
    tasks: new Map(state.tasks),
    history: new Map(state.history),
    idempotencyKeys: new Map(state.idempotencyKeys),
    dependedOn: new Set(state.dependedOn),
    nextSeq: state.nextSeq,
  };
}

const { PENDING, COMPLETED } = TaskStatus;

/**
 * The reference driver: plain, obviously correct, in memory, synchronous. Every rule it applies is
 * core's planner for that transition, so it is what the conformance suite checks the others against.
 * @internal
 */
export class MemoryDriver implements TaskStoreDriver {
  readonly mode = 'sync' as const;
  readonly changes = new ChangeListeners();
  #state = emptyState();

  /** A copy to roll back to. */
  snapshot(): MemoryState {
    return copyOf(this.#state);
  }

  restore(state: MemoryState): void {
    this.#state = state;
  }

  #stored(entry: Entry): StoredTask {
    const { task, metadataJson } = entry;
    // Copies of every object the task holds: a caller changing what it got must not change the store.
    return {
      task: detached(task, metadataJson),
      seq: entry.seq,
      version: entry.version,
      metadataJson,
      hasDependants: this.#state.dependedOn.has(task.id),
    };
  }

  getTask(id: string): StoredTask | null {
    const entry = this.#state.tasks.get(id);
    return entry ? this.#stored(entry) : null;
  }

  getTaskByIdempotencyKey(key: string): StoredTask | null {
    const id = this.#state.idempotencyKeys.get(key);
    return id === undefined ? null : this.getTask(id);
  }

  getStatuses(ids: readonly string[]): Map<string, TaskStatus> {
    const statuses = new Map<string, TaskStatus>();
    for (const id of ids) {
      const entry = this.#state.tasks.get(id);
      if (entry) statuses.set(id, entry.task.status);
    }
    return statuses;
  }

  listTasks(filter: TaskFilter): Task[] | null {
    const sorted = this.#sorted();
    let from = 0;
    if (filter.after !== undefined) {
      const cursor = this.#state.tasks.get(filter.after);
      if (!cursor) return null;
      from = sorted.indexOf(cursor) + 1;
    }
    const matching = sorted
      .slice(from)
      .filter(
        ({ task }) =>
          (filter.status === undefined || task.status === filter.status) &&
          (filter.priority === undefined || task.priority === filter.priority) &&
          (filter.assignedAgent === undefined || task.assignedAgent === filter.assignedAgent),
      );
    const start = filter.offset ?? 0;
    const end = filter.limit === undefined ? undefined : start + filter.limit;
    return matching.slice(start, end).map((entry) => this.#stored(entry).task);
  }

  countTasks(): TaskCounts {
    const counts: TaskCounts = { total: 0, pending: 0, held: 0, inProgress: 0, failed: 0, cancelled: 0 };
    for (const { task } of this.#state.tasks.values()) {
      counts.total++;
      if (task.status === PENDING) counts.pending++;
      else if (task.status === TaskStatus.CLAIMED) counts.held++;
      else if (task.status === TaskStatus.IN_PROGRESS) {
        counts.held++;
        counts.inProgress++;
      } else if (task.status === TaskStatus.FAILED) counts.failed++;
      else if (task.status === TaskStatus.CANCELLED) counts.cancelled++;
    }
    return counts;
  }

  getHistory(id: string): TaskTransition[] {
    return (this.#state.history.get(id) ?? []).map((entry) => ({ ...entry }));
  }

  insertTasks(records: readonly NewTaskRecord[]): 'inserted' | 'id_taken' {
    if (records.some(({ task }) => this.#state.tasks.has(task.id))) return 'id_taken';
    for (const record of records) this.#insert(record, []);
    return 'inserted';
  }

  insertCheckedTask(record: CheckedTaskRecord): void {
    this.#insert(record, record.waitingOn);
    const { task, transition } = record;
    if (task.idempotencyKey !== undefined) this.#state.idempotencyKeys.set(task.idempotencyKey, task.id);
    for (const id of record.waitingOn) this.#markDependedOn(id);
    if (transition) this.#state.history.set(task.id, [transition]);
  }

  /**
   * Flag a dependency of a new task, bumping its version as a database's flag write does: a decided
   * write planned before (a cancel that saw no dependants) then fails its compare-and-set and decides
   * again.
   */
  #markDependedOn(id: string): void {
    const state = this.#state;
    const entry = state.tasks.get(id);
    if (!entry || state.dependedOn.has(id)) return;
    state.dependedOn.add(id);
    state.tasks.set(id, { ...entry, version: entry.version + 1 });
  }

  #insert({ task, metadataJson }: NewTaskRecord, edges: readonly string[]): void {
    const state = this.#state;
    state.tasks.set(task.id, {
      seq: state.nextSeq++,
      version: 0,
      // What the driver keeps: arrays of its own, and no metadata object (it keeps the JSON).
      task: detached(task, undefined),
      metadataJson,
      edges: [...edges],
    });
  }

  upkeepDue(now: number): { expired: boolean; due: boolean } {
    let expired = false;
    let due = false;
    for (const entry of this.#state.tasks.values()) {
      expired ||= isLeaseExpired(entry.task, now);
      due ||= this.#isDueDelayed(entry, now);
      if (expired && due) break;
    }
    return { expired, due };
  }

  /** Pending with a `run_at` that has come, waiting for no dependency. */
  #isDueDelayed(entry: Entry, now: number): boolean {
    const { task } = entry;
    return task.status === PENDING && task.runAt !== undefined && task.runAt <= now && this.#dependenciesMet(entry);
  }

  reclaimExpired(now: number): ReclaimedTask[] {
    const reclaimed: ReclaimedTask[] = [];
    for (const entry of [...this.#state.tasks.values()]) {
      if (!isLeaseExpired(entry.task, now)) continue;
      const next = planExpiry(entry.task, now);
      this.#write(entry, next, transitionRecord(entry.task, next, now, next.error));
      reclaimed.push({ id: next.id, status: next.status, hasDependants: this.#state.dependedOn.has(next.id) });
    }
    return reclaimed;
  }

  promoteDue(now: number): void {
    for (const entry of [...this.#state.tasks.values()]) {
      if (this.#isDueDelayed(entry, now)) this.#write(entry, { ...entry.task, runAt: undefined }, undefined);
    }
  }

  claimReady(request: ClaimRequest): StoredTask[] {
    const { agent, now, leaseMs, limit, capabilities, exclusive } = request;
    const claimed: StoredTask[] = [];
    for (const entry of this.#sorted()) {
      if (claimed.length === limit) break;
      const { task } = entry;
      if (task.status !== PENDING || task.runAt !== undefined || !this.#dependenciesMet(entry)) continue;
      if (!mayClaim(task.requires, capabilities, exclusive)) continue;
      const next = planClaim(task, agent, now, leaseMs);
      claimed.push(this.#stored(this.#write(entry, next, transitionRecord(task, next, now, undefined))));
    }
    return claimed;
  }

  /** The entry of a task `lease` holds at `now`, or `undefined`. */
  #held(lease: TaskLease, now: number): Entry | undefined {
    const entry = this.#state.tasks.get(lease.id);
    return entry && leaseLoss(entry.task, lease, now) === undefined ? entry : undefined;
  }

  startHeld(lease: TaskLease, now: number): boolean {
    const entry = this.#held(lease, now);
    if (!entry) return false;
    const next = planStart(entry.task, now);
    this.#write(
      entry,
      next,
      next.status === entry.task.status ? undefined : transitionRecord(entry.task, next, now, undefined),
    );
    return true;
  }

  heartbeatHeld(lease: TaskLease, now: number, leaseMs: number): number | undefined {
    const entry = this.#held(lease, now);
    if (!entry) return undefined;
    return this.#write(entry, planHeartbeat(entry.task, now, leaseMs), undefined).task.leaseExpiresAt;
  }

  completeHeld(lease: TaskLease, now: number, result: string | undefined): boolean {
    const entry = this.#held(lease, now);
    if (!entry) return false;
    const next = planComplete(entry.task, result, now);
    this.#write(entry, next, transitionRecord(entry.task, next, now, undefined));
    this.#releaseDependants(next.id, now);
    return true;
  }

  writeIfVersion(write: VersionedWrite): boolean {
    const { before, next, dependants } = write;
    const entry = this.#state.tasks.get(next.id);
    if (!entry || entry.version !== before.version) return false;
    this.#write(entry, next, write.transition, write.metadataJson);
    if (dependants === 'release') this.#releaseDependants(next.id, next.updatedAt);
    else if (dependants !== undefined) this.cancelDependants(next.id, dependants, next.updatedAt);
    return true;
  }

  /** Replace a task's entry with its next state (version bumped), recording `transition` when given. */
  #write(entry: Entry, next: Task, transition: TaskTransition | undefined, metadataJson = entry.metadataJson): Entry {
    const written: Entry = {
      ...entry,
      version: entry.version + 1,
      task: detached(next, undefined),
      metadataJson,
    };
    this.#state.tasks.set(next.id, written);
    if (transition) this.#state.history.set(next.id, [...(this.#state.history.get(next.id) ?? []), transition]);
    return written;
  }

  /** Every dependency COMPLETED (a dependency deleted after it completed no longer holds the task back). */
  #dependenciesMet(entry: Entry): boolean {
    return entry.edges.every((id) => this.#state.tasks.get(id)?.task.status === COMPLETED);
  }

  /**
   * `id` just completed: each pending dependant it was the last to wait for, and whose runAt has come,
   * is ready at once (runAt cleared), as a database store releases it in the completing write.
   */
  #releaseDependants(id: string, now: number): void {
    for (const entry of [...this.#state.tasks.values()]) {
      const { task } = entry;
      if (task.status !== PENDING || task.runAt === undefined || task.runAt > now || !entry.edges.includes(id))
        continue;
      if (this.#dependenciesMet(entry)) this.#write(entry, { ...task, runAt: undefined }, undefined);
    }
  }

  cancelDependants(rootId: string, ending: DependencyEnding, now: number): void {
    let frontier = new Map<string, string>([[rootId, ending]]);
    while (frontier.size > 0) {
      const doomed: { entry: Entry; cause: string }[] = [];
      for (const entry of this.#state.tasks.values()) {
        if (isTerminal(entry.task.status)) continue;
        const causes = entry.edges.filter((id) => frontier.has(id)).sort();
        if (causes[0] !== undefined) doomed.push({ entry, cause: causes[0] });
      }
      const next = new Map<string, string>();
      for (const { entry, cause } of doomed) {
        const error = dependencyReason(cause, frontier.get(cause) as string);
        const cancelled = { ...planCancel(entry.task, now), error };
        this.#write(entry, cancelled, transitionRecord(entry.task, cancelled, now, error));
        next.set(entry.task.id, endedAs(TaskStatus.CANCELLED));
      }
      frontier = next;
    }
  }

  deleteTask(id: string): DeletedTask | null {
    const state = this.#state;
    const entry = state.tasks.get(id);
    if (!entry) return null;
    state.tasks.delete(id);
    state.history.delete(id);
    if (entry.task.idempotencyKey !== undefined) state.idempotencyKeys.delete(entry.task.idempotencyKey);
    return {
      id,
      status: entry.task.status,
      hasDependants: state.dependedOn.has(id),
      dependsOn: entry.task.dependsOn,
    };
  }

  dropEdges({ id }: DeletedTask): void {
    // Its dependants forget it, as a database drops the edges: a new task given this id is not theirs.
    this.#state.dependedOn.delete(id);
    for (const entry of [...this.#state.tasks.values()]) {
      if (entry.edges.includes(id)) {
        this.#state.tasks.set(entry.task.id, { ...entry, edges: entry.edges.filter((edge) => edge !== id) });
      }
    }
  }

  clearAll(): void {
    this.#state = emptyState();
  }

  transaction<T>(work: (tx: TaskStoreDriver) => Steps<T>): T {
    const before = this.snapshot();
    try {
      return runSync(work(this));
    } catch (error) {
      this.restore(before);
      throw error;
    }
  }

  close(): void {}

  #sorted(): Entry[] {
    return [...this.#state.tasks.values()].sort(compareClaimOrder);
  }
}
