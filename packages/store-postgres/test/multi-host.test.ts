/**
 * Multi-host simulation (issue 12): worker processes, each with its own PostgresTaskPool and so its own
 * connection pool, as on separate machines, drain thousands of tasks from one schema of the shared
 * PostgreSQL while a killer SIGKILLs them at random and starts replacements. Leases are short, so a dead
 * holder's task is reclaimed within a second. Every task must be completed exactly once, told from the
 * store (states, results, histories) and from what each worker logged around each fenced write.
 * The workers run the BUILT package (chaos/worker.mjs imports @omc/store-postgres from dist/).
 *
 * First, the check itself is shown to catch what it claims to (on core's in-memory reference store, with
 * hand-written logs), so a green run means something.
 */
import { type Task, TaskStatus } from '@omc/core';
import { FakeClock, MemoryTaskStore } from '@omc/core/testing';
import { describe, expect, it } from 'vitest';
import { assertWorkersCanRun } from './support/chaos-build.js';
import { expectExactlyOnce } from './support/chaos-expect.js';
import { runDrain, SHARED_PG_URL, sigkillWorkers } from './support/chaos-scenarios.js';
import { verifyExactlyOnce, type WorkerLog } from './support/chaos-verify.js';

/** Worker log lines as chaos/worker.mjs writes them (the time last). */
function lines(...text: string[]): string[][] {
  return text.map((line) => `${line} 1`.split(' '));
}

describe('the exactly-once check', () => {
  function setup() {
    const clock = new FakeClock();
    const store = new MemoryTaskStore({ clock });
    const [a, b] = store.createTasks([
      { title: 'a', description: 'a', leaseMs: 1000 },
      { title: 'b', description: 'b', leaseMs: 1000 },
    ]);
    return { clock, store, a: a!, b: b! };
  }
  /** Claim, start and complete `id` as `agent`, returning the lease it used. */
  function complete(store: MemoryTaskStore, agent: string): Task {
    const task = store.claimTask(agent)!;
    store.startTask(task);
    store.completeTask(task, `${agent}:${task.leaseToken}`);
    return task;
  }
  const log = (agent: string, killed: boolean, ...text: string[]): WorkerLog => ({
    agent,
    killed,
    lines: lines(...text),
  });

  it('passes an honest run, including a holder killed after its completion went through', async () => {
    const { store, a, b } = setup();
    const ta = complete(store, 'w0');
    const tb = complete(store, 'w1');
    const result = await verifyExactlyOnce(
      store,
      [a.id, b.id],
      [
        log(
          'w0',
          false,
          `claimed ${a.id} ${ta.leaseToken} 1`,
          `attempt ${a.id} ${ta.leaseToken}`,
          `done ${a.id} ${ta.leaseToken}`,
        ),
        log('w1', true, `claimed ${b.id} ${tb.leaseToken} 1`, `attempt ${b.id} ${tb.leaseToken}`),
      ],
    );
    expect(result).toMatchObject({ tasks: 2, lost: 0, twice: 0, stranded: 0, violations: [] });
  });

  it('counts a task two holders were told they completed as completed twice', async () => {
    const { store, clock, a, b } = setup();
    const first = store.claimTask('w0')!;
    clock.advance(2000);
    const ta = complete(store, 'w1');
    const tb = complete(store, 'w1');
    const result = await verifyExactlyOnce(
      store,
      [a.id, b.id],
      [
        log('w0', false, `attempt ${a.id} ${first.leaseToken}`, `done ${a.id} ${first.leaseToken}`),
        log('w1', false, `attempt ${a.id} ${ta.leaseToken}`, `done ${a.id} ${ta.leaseToken}`),
        log('w1', false, `attempt ${b.id} ${tb.leaseToken}`, `done ${b.id} ${tb.leaseToken}`),
      ],
    );
    expect(result.twice).toBe(1);
    expect(result.reclaimed).toBe(1);
    expect(result.violations.join('\n')).toContain('2 holders were told they completed it');
  });

  it('flags a stored result whose writer was refused, and one nobody logged', async () => {
    const { store, a, b } = setup();
    const ta = complete(store, 'w0');
    const tb = complete(store, 'w0');
    const result = await verifyExactlyOnce(
      store,
      [a.id, b.id],
      [log('w0', false, `attempt ${a.id} ${ta.leaseToken}`, `lost ${a.id} ${ta.leaseToken} expired complete`)],
    );
    expect(result.violations).toEqual([
      `${a.id}: w0's completion was refused, yet its result is stored`,
      `${b.id}: result ${JSON.stringify(`w0:${tb.leaseToken}`)} was written by no logged attempt`,
    ]);
  });

  it('counts unfinished tasks as stranded, failed or deleted ones as lost', async () => {
    const clock = new FakeClock();
    const store = new MemoryTaskStore({ clock });
    const [held, pending, failed, deleted] = store.createTasks(
      ['held', 'pending', 'failed', 'deleted'].map((title) => ({ title, description: title, maxAttempts: 1 })),
    );
    store.claimTask('w0');
    const toFail = store.claimTask('w0')!;
    store.failTask(store.claimTask('w0')!, 'x');
    store.releaseTask(toFail);
    store.deleteTask(deleted!.id);
    const result = await verifyExactlyOnce(store, [held!.id, pending!.id, failed!.id, deleted!.id], []);
    expect(store.getTask(failed!.id)?.status).toBe(TaskStatus.FAILED);
    expect(result).toMatchObject({ tasks: 4, lost: 2, stranded: 2, twice: 0 });
  });
});

describe('4 worker processes, each with its own pool, SIGKILLed at random on the shared PostgreSQL', () => {
  it('complete every one of thousands of tasks exactly once', async () => {
    assertWorkersCanRun();
    const result = await runDrain(
      sigkillWorkers(SHARED_PG_URL, { workers: 4, seed: 3000, maxTasks: 4000, minKills: 20, deadlineMs: 150_000 }),
    );
    expectExactlyOnce(result);
    expect(result.tasks).toBeGreaterThanOrEqual(3000);
    expect(result.kills).toBeGreaterThanOrEqual(20);
    // The kills really left leases behind, and the reclaimed tasks were finished by others.
    expect(result.reclaimed).toBeGreaterThan(0);
  }, 200_000);
});
