/**
 * The exactly-once check of the chaos runs, told from the store itself (each task's state, result and
 * history) and from what each worker logged before and after each fenced write (chaos/worker.mjs).
 *
 * - lost: a task that is gone, or ended FAILED or CANCELLED although every attempt of it was meant to
 *   succeed in the end;
 * - stranded: a task still PENDING, CLAIMED or IN_PROGRESS once the run is over (after a reclaim sweep);
 * - completed twice: a task whose history reaches COMPLETED more than once, or that two holders were told
 *   they completed, or whose stored result is not the one its acknowledged holder wrote.
 * Anything else that contradicts the fencing rules (a result nobody wrote, a completion the log cannot
 * account for) is a violation, listed with the task id.
 */
import { type Task, TaskStatus, type TaskStore, type TaskTransition } from '@omc/core';

/** One worker's log, as the fleet read it. */
export interface WorkerLog {
  agent: string;
  /** The fleet SIGKILLed it: a write it logged as attempted may or may not have gone through. */
  killed: boolean;
  lines: string[][];
}

export interface Verification {
  tasks: number;
  lost: number;
  twice: number;
  stranded: number;
  /** Claims that ended because their lease expired (a killed or stalled holder's task, reclaimed). */
  reclaimed: number;
  /** Completions refused by fencing: a holder that had lost its lease tried to write and changed nothing. */
  refused: number;
  /** Completions first left unknown by a fault, then found by reading back. */
  readBack: number;
  violations: string[];
  /** The errors workers met and retried through, by code. */
  errors: Record<string, number>;
  /** When each completed task completed, as the store recorded it. */
  completedAt: number[];
}

const FINAL: ReadonlySet<string> = new Set([TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED]);

/** Run `fn` over `items`, `width` at a time. */
async function mapConcurrent<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

interface Write {
  agent: string;
  token: number;
  /** How the log says it ended: done, readback, lost, or nothing (the process died first). */
  outcome: 'done' | 'readback' | 'lost' | undefined;
  killed: boolean;
}

/** The completion attempts of every task, from the logs. */
function completionWrites(logs: readonly WorkerLog[]): Map<string, Write[]> {
  const writes = new Map<string, Write[]>();
  for (const log of logs) {
    const open = new Map<string, Write>();
    for (const [kind, id, token, , op] of log.lines) {
      if (id === undefined) continue;
      const key = `${id} ${token}`;
      if (kind === 'attempt') {
        const write: Write = { agent: log.agent, token: Number(token), outcome: undefined, killed: log.killed };
        open.set(key, write);
        writes.set(id, [...(writes.get(id) ?? []), write]);
      } else if (kind === 'done' || kind === 'readback' || (kind === 'lost' && op?.startsWith('complete'))) {
        const write = open.get(key);
        if (write) write.outcome = kind;
        else if (kind !== 'lost')
          writes.set(id, [...(writes.get(id) ?? []), { ...unlogged(log, token), outcome: kind }]);
      }
    }
  }
  return writes;
}

function unlogged(log: WorkerLog, token: string | undefined): Write {
  return { agent: log.agent, token: Number(token), outcome: undefined, killed: log.killed };
}

/**
 * Check that every task of `ids` was completed exactly once. Reads the tasks and each one's history
 * through `store` (a fresh pool is best: it proves the results are durable, not cached).
 */
export async function verifyExactlyOnce(
  store: TaskStore,
  ids: readonly string[],
  logs: readonly WorkerLog[],
): Promise<Verification> {
  await store.reclaimExpired();
  const tasks = new Map<string, Task>((await store.getTasks()).map((task) => [task.id, task]));
  const writes = completionWrites(logs);
  const histories = await mapConcurrent(ids, 8, async (id) => store.getTaskHistory(id));
  const result: Verification = {
    tasks: ids.length,
    lost: 0,
    twice: 0,
    stranded: 0,
    reclaimed: 0,
    refused: 0,
    readBack: 0,
    violations: [],
    errors: {},
    completedAt: [],
  };
  for (const log of logs) {
    for (const [kind, , , code] of log.lines) {
      if (kind === 'error' && code) result.errors[code] = (result.errors[code] ?? 0) + 1;
    }
  }
  ids.forEach((id, i) => {
    const task = tasks.get(id);
    const history: TaskTransition[] = histories[i] ?? [];
    result.reclaimed += history.filter((t) => t.reason?.includes('lease expired')).length;
    const mine = writes.get(id) ?? [];
    result.refused += mine.filter((w) => w.outcome === 'lost').length;
    result.readBack += mine.filter((w) => w.outcome === 'readback').length;
    if (!task) {
      result.lost++;
      result.violations.push(`${id}: lost (no such task any more)`);
      return;
    }
    if (!FINAL.has(task.status)) {
      result.stranded++;
      result.violations.push(`${id}: stranded ${task.status} (attempt ${task.attempts}, claim ${task.leaseToken})`);
      return;
    }
    if (task.status !== TaskStatus.COMPLETED) {
      result.lost++;
      result.violations.push(`${id}: lost, ended ${task.status}: ${task.error ?? ''}`);
      return;
    }
    if (task.completedAt !== undefined) result.completedAt.push(task.completedAt);
    const completions = history.filter((t) => t.to === TaskStatus.COMPLETED).length;
    const acknowledged = mine.filter((w) => w.outcome === 'done' || w.outcome === 'readback');
    const stored = mine.find((w) => `${w.agent}:${w.token}` === task.result);
    let twice = false;
    if (completions !== 1) {
      twice = true;
      result.violations.push(`${id}: history reaches COMPLETED ${completions} times`);
    }
    if (acknowledged.length > 1) {
      twice = true;
      result.violations.push(
        `${id}: ${acknowledged.length} holders were told they completed it (${acknowledged.map((w) => `${w.agent}:${w.token}`).join(', ')})`,
      );
    }
    for (const write of acknowledged) {
      if (`${write.agent}:${write.token}` !== task.result) {
        twice = true;
        result.violations.push(
          `${id}: ${write.agent}:${write.token} was told it completed, but the result is ${task.result}`,
        );
      }
    }
    if (twice) result.twice++;
    if (!stored)
      result.violations.push(`${id}: result ${JSON.stringify(task.result)} was written by no logged attempt`);
    else if (stored.token !== task.leaseToken) {
      result.violations.push(`${id}: result of claim ${stored.token} on a task whose last claim is ${task.leaseToken}`);
    } else if (stored.outcome === undefined && !stored.killed) {
      result.violations.push(`${id}: ${stored.agent} never learned how its completion ended, and it was not killed`);
    } else if (stored.outcome === 'lost') {
      result.violations.push(`${id}: ${stored.agent}'s completion was refused, yet its result is stored`);
    }
  });
  return result;
}
