// Several OS processes, each running a Swarm, on one SQLite file; one is SIGKILLed mid-run. Every task is
// completed exactly once, every completion a process acknowledged is the one stored, and the tasks the
// killed process held come back to the others when their leases run out.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Task, TaskStatus } from '@omc/core';
import { TaskPool } from '@omc/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/swarm-process.mjs', import.meta.url));
const TASKS = 3_000;
const LEASE_MS = 400;

interface SwarmProcess {
  child: ChildProcess;
  acknowledged: Map<string, string>;
  exited: Promise<number | null>;
}

/** `workMs`: each task's work. The victim's is long, so what it holds when killed is mid-work, not done and
 * waiting for its group write (which could commit between the look and the kill). */
function startProcess(path: string, name: string, workMs: number): SwarmProcess {
  const child = spawn(process.execPath, [FIXTURE, path, name, '4', String(LEASE_MS), String(workMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acknowledged = new Map<string, string>();
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, id, worker] = line.split(' ');
      if (kind === 'done' && id && worker) acknowledged.set(id, worker);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, acknowledged, exited };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a swarm in several OS processes on one file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('completes every task exactly once when one process is killed mid-run', async () => {
    dir = mkdtempSync(join(tmpdir(), 'omc-swarm-mp-'));
    const path = join(dir, 'tasks.db');
    const setup = new TaskPool(path);
    setup.createTasks(Array.from({ length: TASKS }, (_, i) => ({ title: `task ${i}`, description: 'work' })));
    setup.close();

    const victim = startProcess(path, 'victim', 50);
    const survivors = [startProcess(path, 'alpha', 1), startProcess(path, 'beta', 1)];
    // Kill the victim while it holds tasks (it may be between batches, holding none, at any instant).
    const observer = new TaskPool(path);
    const heldByVictim = () =>
      [TaskStatus.CLAIMED, TaskStatus.IN_PROGRESS].flatMap((status) =>
        observer.getTasks({ status }).filter((t) => t.assignedAgent?.startsWith('victim-')),
      );
    let held: Task[] = [];
    await until(() => {
      if (victim.acknowledged.size < 40) return false;
      held = heldByVictim();
      return held.length > 0;
    }, 'the victim has acknowledged 40 completions and holds tasks');
    victim.child.kill('SIGKILL');
    await victim.exited;
    observer.close();
    expect(await Promise.all(survivors.map((p) => p.exited))).toEqual([0, 0]);

    const pool = new TaskPool(path);
    try {
      expect(pool.getStats()).toMatchObject({ total: TASKS, completed: TASKS, claimed: 0, inProgress: 0 });
      const everyProcess = [victim, ...survivors];
      for (const task of pool.getTasks()) {
        const completions = pool.getTaskHistory(task.id).filter((h) => h.to === TaskStatus.COMPLETED);
        expect(completions).toHaveLength(1);
        // At most one process acknowledged it, and what it acknowledged is what the store kept.
        const claimants = everyProcess.flatMap((p) => {
          const worker = p.acknowledged.get(task.id);
          return worker === undefined ? [] : [worker];
        });
        expect(claimants.length).toBeLessThanOrEqual(1);
        if (claimants[0] !== undefined) expect(task.assignedAgent).toBe(claimants[0]);
        expect(task.result).toBe(`${task.assignedAgent?.replace(/-\d+$/, '')} did ${task.title}`);
      }
      // The survivors did the rest, the victim's unfinished leases included.
      const bySurvivors = survivors.reduce((sum, p) => sum + p.acknowledged.size, 0);
      expect(victim.acknowledged.size + bySurvivors).toBeGreaterThanOrEqual(TASKS - 4 * 32);
      // What the victim held when it died was taken over and finished by the others, unless the victim
      // finished it in the instant between the look and the kill.
      const takenOver = held.map((t) => pool.getTask(t.id)).filter((t) => !t?.assignedAgent?.startsWith('victim-'));
      expect(takenOver.length).toBeGreaterThan(0);
      for (const task of takenOver) expect(task?.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      pool.close();
    }
  });
});
