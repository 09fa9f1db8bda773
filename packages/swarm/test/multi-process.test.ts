// Several OS processes, each running a Swarm, on one SQLite file; one is SIGKILLed mid-run. Every task is
// completed exactly once, every completion a process acknowledged is the one stored, and the tasks the
// killed process held come back to the others when their leases run out.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskStatus } from '@omc/core';
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

function startProcess(path: string, name: string): SwarmProcess {
  const child = spawn(process.execPath, [FIXTURE, path, name, '4', String(LEASE_MS)], {
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

    const victim = startProcess(path, 'victim');
    const survivors = [startProcess(path, 'alpha'), startProcess(path, 'beta')];
    await until(() => victim.acknowledged.size >= 200, 'the victim has acknowledged 200 completions');
    victim.child.kill('SIGKILL');
    await victim.exited;
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
      expect(pool.getTasks().filter((t) => t.attempts > 1).length).toBeGreaterThan(0);
    } finally {
      pool.close();
    }
  });
});
