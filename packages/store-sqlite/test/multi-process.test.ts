/**
 * Several OS processes share one pool file: each claims (one at a time, or in batches of 8–32 completed
 * in groups) until nothing is pending. No task is claimed twice, none is lost, a dependant runs only
 * after its dependencies completed, and no `SQLITE_BUSY` (or any other error) reaches a caller: the
 * children catch nothing and retry nothing, so any error would end one with a non-zero exit code and a
 * stack trace. The children run the BUILT package (`@omc/store-sqlite` from dist/), as another program
 * would.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CreateTaskInput, newTaskId, type Task, TaskPriority, TaskStatus } from '../src/index.js';
import { type ChildResult, forkFixture } from './child-processes.js';
import { assertBuiltPackageIsFresh, expectEveryTaskCompleted, usePools } from './helpers.js';

const pools = usePools();

const PROCESSES = 4;
const TASKS = 4000;
const PRIORITIES = [TaskPriority.MEDIUM, TaskPriority.LOW, TaskPriority.CRITICAL, TaskPriority.HIGH] as const;

interface WorkerReport {
  pid: number;
  agent: string;
  claimed: string[];
  created: string[];
  firstClaimMs: number;
}

function parseReport<R = WorkerReport>(result: ChildResult): R {
  const lines = result.stdout.trim().split('\n');
  expect(lines, `process ${result.pid} printed one JSON line`).toHaveLength(1);
  return JSON.parse(lines[0]!) as R;
}

/**
 * Start `count` claim workers on `path`, all claiming from the same instant, and wait for them all.
 * `atStart` runs in this process at that instant.
 */
async function runWorkers(
  path: string,
  count: number,
  options: { followUpEvery?: number; atStart?: (startAt: number) => void; fixture?: string } = {},
): Promise<ChildResult[]> {
  const extra = options.followUpEvery === undefined ? [] : [String(options.followUpEvery)];
  const children = Array.from({ length: count }, (_, i) =>
    forkFixture(options.fixture ?? 'claim-worker.mjs', [path, `agent-${i}`, ...extra]),
  );
  // Each child opens the pool, then says it is ready; all start claiming at one instant.
  await Promise.all(children.map((child) => child.nextMessage()));
  const startAt = Date.now() + 50;
  for (const child of children) child.process.send({ startAt });
  options.atStart?.(startAt);
  return Promise.all(children.map((child) => child.result));
}

/** Create `TASKS` tasks of mixed priorities in a new pool file; returns the file and the tasks. */
function seedFile(): { path: string; created: Task[] } {
  const path = join(pools.dir(), 'shared.db');
  const seed = pools.file(path);
  const inputs: CreateTaskInput[] = Array.from({ length: TASKS }, (_, i) => ({
    title: `task ${i}`,
    description: `shared work item ${i}`,
    priority: PRIORITIES[i % PRIORITIES.length] as TaskPriority,
    metadata: { i },
  }));
  const created = seed.createTasks(inputs);
  seed.close();
  return { path, created };
}

/** Every child exited cleanly and silently; their reports. */
function expectCleanExits<R = WorkerReport>(results: ChildResult[]): R[] {
  for (const result of results) {
    expect(result.stderr, `process ${result.pid} wrote to stderr`).toBe('');
    expect(result.code, `process ${result.pid} exit code`).toBe(0);
    expect(result.signal).toBeNull();
  }
  return results.map((result) => parseReport<R>(result));
}

/** Every task in the file is COMPLETED by the process that claimed it, and the stats add up. */
function expectAllCompletedByTheirClaimer(path: string, reports: WorkerReport[], total: number): void {
  const pool = pools.file(path);
  const claimer = new Map<string, WorkerReport>();
  for (const report of reports) for (const id of report.claimed) claimer.set(id, report);
  const tasks = pool.getTasks();
  expect(tasks).toHaveLength(total);
  for (const task of tasks) {
    const report = claimer.get(task.id);
    expect(report, `task ${task.id} was claimed`).toBeDefined();
    expect(task).toMatchObject({
      status: TaskStatus.COMPLETED,
      assignedAgent: report!.agent,
      result: String(report!.pid),
      startedAt: expect.any(Number),
      completedAt: expect.any(Number),
    } satisfies Partial<Task>);
    expect(task.completedAt!).toBeGreaterThanOrEqual(task.startedAt!);
  }
  expectEveryTaskCompleted(pool, total);
}

describe(`${PROCESSES} processes claiming ${TASKS} tasks from one file`, () => {
  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  it('claim every task exactly once, in priority order, and surface no error', async () => {
    const { path, created } = seedFile();
    const creation = new Map(created.map((task, i) => [task.id, i]));
    // The one global claim order: priority, then age, then creation order.
    const rank = new Map(
      [...created]
        .sort(
          (a, b) => b.priority - a.priority || a.createdAt - b.createdAt || creation.get(a.id)! - creation.get(b.id)!,
        )
        .map((task, i) => [task.id, i]),
    );

    const started = Date.now();
    const reports = expectCleanExits(await runWorkers(path, PROCESSES));
    const elapsed = Date.now() - started;

    // The union of the claims is every task; no task was claimed twice.
    const all = reports.flatMap((report) => report.claimed);
    expect(all).toHaveLength(TASKS);
    expect(new Set(all).size).toBe(TASKS);
    expect([...all].sort()).toEqual(created.map((task) => task.id).sort());

    // Claims are serialised, so each process's claims follow the global order.
    for (const report of reports) {
      const ranks = report.claimed.map((id) => rank.get(id)!);
      expect(
        ranks.every((r, i) => i === 0 || r > ranks[i - 1]!),
        `${report.agent} claimed out of order`,
      ).toBe(true);
    }

    expectAllCompletedByTheirClaimer(path, reports, TASKS);

    // The processes really competed (the split depends on the scheduler).
    const split = reports.map((report) => `${report.agent}: ${report.claimed.length}`).join(', ');
    console.info(`${PROCESSES} processes claimed and completed ${TASKS} tasks in ${elapsed} ms (${split})`);
    expect(reports.filter((report) => report.claimed.length > 0).length).toBeGreaterThan(1);
  }, 120_000);

  it('twice as many processes, creating follow-up tasks while they claim: still exactly once each', async () => {
    const { path, created } = seedFile();
    const reports = expectCleanExits(await runWorkers(path, PROCESSES * 2, { followUpEvery: 10 }));

    const followUps = reports.flatMap((report) => report.created);
    expect(followUps.length).toBeGreaterThan(0);
    const all = reports.flatMap((report) => report.claimed);
    const everyId = [...created.map((task) => task.id), ...followUps];
    expect(all).toHaveLength(everyId.length);
    expect([...all].sort()).toEqual([...everyId].sort());

    expectAllCompletedByTheirClaimer(path, reports, everyId.length);
  }, 120_000);

  it('another process holding the write lock for 300 ms only delays the claimers: the busy timeout absorbs it', async () => {
    const { path, created } = seedFile();
    const HOLD_MS = 300;
    const holder = new Database(path, { timeout: 10_000 });
    try {
      const reports = expectCleanExits(
        await runWorkers(path, PROCESSES, {
          // Take the write lock just before the workers start, hold it, then let them through.
          atStart: (startAt) => {
            holder.exec('BEGIN IMMEDIATE');
            while (Date.now() < startAt + HOLD_MS) {
              // Hold the lock: every worker's first claim has to wait for it.
            }
            holder.exec('COMMIT');
          },
        }),
      );
      for (const report of reports) {
        expect(report.firstClaimMs, `${report.agent} did not wait for the lock`).toBeGreaterThanOrEqual(HOLD_MS - 20);
      }
      const all = reports.flatMap((report) => report.claimed);
      expect([...all].sort()).toEqual(created.map((task) => task.id).sort());
      expectAllCompletedByTheirClaimer(path, reports, TASKS);
    } finally {
      holder.close();
    }
  }, 120_000);
});

describe(`${PROCESSES} processes claiming in batches of 8–32 and completing in groups, on one file`, () => {
  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  it('complete every task exactly once, each dependant only after its dependencies', async () => {
    const path = join(pools.dir(), 'batches.db');
    const ids = Array.from({ length: TASKS }, () => newTaskId());
    // Every 8th task waits for two earlier ones: some batches come up short, and workers wait for each other.
    const dependencies = new Map<string, string[]>();
    const inputs: CreateTaskInput[] = ids.map((id, i) => {
      const dependsOn = i % 8 === 7 ? [ids[Math.floor(i / 2)]!, ids[i - 3]!] : undefined;
      if (dependsOn) dependencies.set(id, dependsOn);
      return {
        id,
        title: `task ${i}`,
        description: `shared work item ${i}`,
        priority: PRIORITIES[i % PRIORITIES.length] as TaskPriority,
        ...(dependsOn ? { dependsOn } : {}),
      };
    });
    const seed = pools.file(path);
    seed.createTasks(inputs);
    seed.close();

    const started = Date.now();
    const reports = expectCleanExits<{
      pid: number;
      agent: string;
      claimed: string[];
      batches: number[];
      violations: string[];
    }>(await runWorkers(path, PROCESSES, { fixture: 'batch-worker.mjs' }));
    const elapsed = Date.now() - started;

    const all = reports.flatMap((report) => report.claimed);
    expect(all).toHaveLength(TASKS);
    expect(new Set(all).size).toBe(TASKS);
    const batches = reports.flatMap((report) => report.batches);
    expect(Math.max(...batches)).toBe(32);
    expect(Math.min(...batches)).toBeGreaterThanOrEqual(1);

    const pool = pools.file(path);
    const byId = new Map(pool.getTasks().map((task) => [task.id, task]));
    for (const report of reports) {
      for (const id of report.claimed) {
        expect(byId.get(id)).toMatchObject({
          status: TaskStatus.COMPLETED,
          assignedAgent: report.agent,
          result: String(report.pid),
          attempts: 1,
          leaseToken: 1,
        } satisfies Partial<Task>);
      }
    }
    // Gating, seen from each claimer right after its claim (timestamps cannot show it: each process reads
    // its clock before it waits for the write lock, so a claim may carry an earlier time than the
    // completion that let it through).
    expect(reports.flatMap((report) => report.violations)).toEqual([]);
    for (const [id, dependsOn] of dependencies) expect(byId.get(id)?.dependsOn).toEqual(dependsOn);
    expectEveryTaskCompleted(pool, TASKS);
    const split = reports.map(
      (report) => `${report.agent}: ${report.claimed.length} in ${report.batches.length} batches`,
    );
    console.info(
      `${PROCESSES} processes claimed and completed ${TASKS} tasks in batches in ${elapsed} ms (${split.join(', ')})`,
    );
    expect(reports.filter((report) => report.claimed.length > 0).length).toBeGreaterThan(1);
  }, 120_000);
});
