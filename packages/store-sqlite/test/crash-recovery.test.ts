/**
 * Leases across real processes, with crashes. Worker processes share one pool file while a killer
 * SIGKILLs random workers at random moments and starts replacements; at the end every task is COMPLETED
 * exactly once, by the holder of its last lease, and no holder that had lost its lease got a write
 * through. The workers log every step before and after each fenced write (test/fixtures/lease-worker.mjs),
 * so what a killed process did is known from its log, and the history of every task is checked against
 * the logs. Then a single stale holder, in its own process, pauses past its lease while another process
 * takes over: its late writes are refused and the first result stays.
 * The children run the BUILT package (`@omc/store-sqlite` from dist/), as another program would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskTransition } from '@omc/core';
import { afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Task, type TaskPool, TaskStatus } from '../src/index.js';
import { type Child, forkFixture } from './child-processes.js';
import { assertBuiltPackageIsFresh, expectEveryTaskCompleted, rawDb, usePools } from './helpers.js';

const pools = usePools();

/** Every child forked by a test; any still running after it (a failed test) is killed. */
const children: Child[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
});

function fork(name: string, args: string[]): Child {
  const child = forkFixture(name, args);
  children.push(child);
  return child;
}

/** mulberry32, the generator lease-worker.mjs uses too: a run's random choices replay from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The raw lease columns of a task, straight from the table. */
interface LeaseRow {
  id: string;
  status: string;
  result: string | null;
  assigned_agent: string | null;
  attempts: number;
  lease_token: number;
  lease_expires_at: number | null;
  max_attempts: number;
}

const LEASE_COLUMNS = 'id, status, result, assigned_agent, attempts, lease_token, lease_expires_at, max_attempts';

function leaseRows(pool: TaskPool): LeaseRow[] {
  return rawDb(pool).prepare(`select ${LEASE_COLUMNS} from tasks`).all() as LeaseRow[];
}

/** The whole raw row, every column: to show that a refused write changed nothing at all. */
function rawRow(pool: TaskPool, id: string): unknown {
  return rawDb(pool).prepare('select * from tasks where id = ?').get(id);
}

const { PENDING, CLAIMED, IN_PROGRESS, COMPLETED } = TaskStatus;

describe('worker processes SIGKILLed at random moments while they work through one pool file', () => {
  const WORKERS = 4;
  const TASKS = 3000;
  /** While the killer still has kills to make, the pool is topped up with this many tasks when it runs low. */
  const TOP_UP = 500;
  const MAX_TASKS = 10_000;
  /** Kills of a worker that was holding a task when it died; the killer keeps going until there are this many. */
  const MIN_KILLS = 20;
  /** Kills of any kind; more means the workers hardly ever hold a task, which the test reports. */
  const MAX_KILLS = 200;
  const LEASE_MS = 300;
  /** High enough that kills and stalls never fail a task for good. */
  const MAX_ATTEMPTS = 20;
  const WORKER_OPTIONS = {
    leaseMs: LEASE_MS,
    backoff: { baseMs: 10, maxMs: 50 },
    workMs: 3,
    idleMs: 10,
    stallRate: 0.015,
    longRate: 0.005,
    heartbeatRate: 0.2,
    releaseRate: 0.01,
    failRate: 0.01,
  };
  /** How each attempt of a task can end, told by its history. */
  const HELD: readonly string[] = [CLAIMED, IN_PROGRESS];
  const EDGES = new Set([
    `${PENDING}>${CLAIMED}`,
    `${CLAIMED}>${IN_PROGRESS}`,
    `${CLAIMED}>${PENDING}`,
    `${IN_PROGRESS}>${PENDING}`,
    `${IN_PROGRESS}>${COMPLETED}`,
  ]);
  /** The log lines written before a fenced write or while holding a task: the worker holds one. */
  const HOLDING = new Set(['claimed', 'stall', 'long', 'beat', 'attempt', 'release', 'fail']);
  const LOST_REASONS = new Set(['expired', 'requeued', 'superseded', 'finished']);
  /** How a claim ends when its holder dies right after the write it logged last went through. */
  const JUST_WRITTEN: Record<string, string> = { attempt: 'completed', release: 'released', fail: 'failed' };

  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  /** How one claim of a task ended, told by its history from that claim to the next. */
  function endingOf(segment: TaskTransition[]): string {
    const holder = segment[0]!.agent;
    const end = segment.at(-1)!;
    const reason = end.reason ?? '';
    if (end.to === COMPLETED) return 'completed';
    if (HELD.includes(end.to)) return 'held';
    if (reason.includes('lease expired')) return 'expired';
    if (reason === `released by ${holder}`) return 'released';
    if (reason === `transient failure in ${holder}`) return 'failed';
    return `unexplained (${end.from} → ${end.to}: ${reason})`;
  }

  interface Worker {
    agent: string;
    child: Child;
    ready: boolean;
    killed: boolean;
  }

  /** One worker's log line: `kind`, then the pair it concerns (`<task id> <lease token>`) if any, then the rest. */
  interface LogLine {
    agent: string;
    kind: string;
    id: string | undefined;
    token: number | undefined;
    rest: string[];
  }

  function readLog(path: string, agent: string): LogLine[] {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return []; // killed before its first line
    }
    const lines = text.split('\n');
    // The last element is '' after a complete line, or a line a SIGKILL tore: that step did not happen.
    lines.pop();
    return lines.map((line) => {
      const [kind = '', ...fields] = line.split(' ');
      if (kind === 'start' || kind === 'stop') return { agent, kind, id: undefined, token: undefined, rest: fields };
      const [id, token, ...rest] = fields;
      return { agent, kind, id, token: Number(token), rest };
    });
  }

  it(`${WORKERS} workers finish ${TASKS}+ tasks exactly once despite ${MIN_KILLS}+ SIGKILLs mid-task`, async () => {
    const seed = Number(process.env.OMC_CRASH_SEED || Date.now()) >>> 0;
    onTestFailed(() => {
      console.error(`crash-recovery seed ${seed}: replay its random choices with OMC_CRASH_SEED=${seed}`);
    });
    const random = seeded(seed);
    const dir = pools.dir();
    const path = join(dir, 'crash.db');
    const logPath = (agent: string) => join(dir, `${agent}.log`);
    const pool = pools.file(path, { maxAttempts: MAX_ATTEMPTS, leaseMs: LEASE_MS });
    let total = 0;
    const addTasks = (count: number) => {
      pool.createTasks(
        Array.from({ length: count }, (_, i) => ({ title: `task ${total + i}`, description: 'crash-recovery item' })),
      );
      total += count;
    };
    addTasks(TASKS);
    const openCount = rawDb(pool).prepare(
      `select count(*) from tasks where status in ('${PENDING}', '${CLAIMED}', '${IN_PROGRESS}')`,
    );
    const open = () => openCount.pluck().get() as number;

    // The workers. Each slot gets a new incarnation (agent `w<slot>-<n>`) whenever its process is killed.
    const workers: Worker[] = [];
    const slots: Worker[] = [];
    const crashes: string[] = [];
    let stopping = false;
    const startWorker = (slot: number): Worker => {
      const agent = `w${slot}-${workers.filter((w) => w.agent.startsWith(`w${slot}-`)).length}`;
      const options = { ...WORKER_OPTIONS, seed: Math.floor(random() * 2 ** 32) };
      const child = fork('lease-worker.mjs', [path, agent, logPath(agent), JSON.stringify(options)]);
      const worker: Worker = { agent, child, ready: false, killed: false };
      child.nextMessage().then(
        () => {
          worker.ready = true;
        },
        () => {},
      );
      void child.result.then((result) => {
        if (!worker.killed && !stopping) {
          crashes.push(
            `${agent} (pid ${result.pid}) exited by itself (${result.code ?? result.signal}):\n${result.stderr}`,
          );
        }
      });
      workers.push(worker);
      slots[slot] = worker;
      return worker;
    };
    const assertNoCrash = () => {
      if (crashes.length > 0) throw new Error(`a worker crashed (seed ${seed}):\n${crashes.join('\n')}`);
    };

    const started = Date.now();
    for (let slot = 0; slot < WORKERS; slot++) startWorker(slot);
    while (!slots.every((worker) => worker.ready)) {
      assertNoCrash();
      await sleep(10);
    }

    // The killer: SIGKILL a random working worker every 20–150 ms and start its replacement at once,
    // until MIN_KILLS workers died holding a task (as their own logs show).
    let kills = 0;
    /** What each killed worker held when it died: `<task id> <lease token>`, from its log. */
    const killedHolding = new Map<string, string>();
    while (killedHolding.size < MIN_KILLS) {
      await sleep(20 + Math.floor(random() * 131));
      assertNoCrash();
      expect(kills, `only ${killedHolding.size} of ${kills} kills hit a worker holding a task`).toBeLessThan(MAX_KILLS);
      // Never let the workers run dry while kills are still due (a fast machine, slow restarts…).
      if (open() < TOP_UP) {
        expect(total, `${total} tasks done with only ${killedHolding.size} kills mid-task`).toBeLessThan(MAX_TASKS);
        addTasks(TOP_UP);
      }
      const ready = slots.map((worker, slot) => ({ worker, slot })).filter(({ worker }) => worker.ready);
      if (ready.length === 0) continue;
      const { worker: victim, slot } = ready[Math.floor(random() * ready.length)]!;
      victim.killed = true;
      victim.child.process.kill('SIGKILL');
      kills++;
      startWorker(slot);
      const exit = await victim.child.result;
      expect(exit.signal, `${victim.agent} was killed; stderr: ${exit.stderr}`).toBe('SIGKILL');
      const last = readLog(logPath(victim.agent), victim.agent).at(-1);
      if (last && HOLDING.has(last.kind)) killedHolding.set(victim.agent, `${last.id} ${last.token}`);
    }
    const killPhaseMs = Date.now() - started;

    // Let the survivors drain the pool: a dead holder's task comes back when its lease runs out.
    const drainDeadline = Date.now() + 60_000;
    while (open() > 0) {
      assertNoCrash();
      if (Date.now() > drainDeadline) {
        const stuck = rawDb(pool)
          .prepare(`select ${LEASE_COLUMNS} from tasks where status not in ('${COMPLETED}') limit 5`)
          .all();
        throw new Error(`the pool did not drain in 60 s (seed ${seed}); ${open()} open, e.g. ${JSON.stringify(stuck)}`);
      }
      await sleep(20);
    }
    stopping = true;
    const live = workers.filter((worker) => !worker.killed);
    for (const worker of live) worker.child.process.send({ stop: true });
    for (const worker of live) {
      const result = await worker.child.result;
      expect(result.stderr, `${worker.agent} wrote to stderr`).toBe('');
      expect(result.code, `${worker.agent} exit code`).toBe(0);
      expect(result.signal).toBeNull();
    }
    assertNoCrash();
    const elapsed = Date.now() - started;

    // Everything every worker logged, by the (task, lease token) pair it concerns.
    const killed = new Set(workers.filter((worker) => worker.killed).map((worker) => worker.agent));
    const logs = new Map(workers.map((worker) => [worker.agent, readLog(logPath(worker.agent), worker.agent)]));
    const byPair = new Map<string, LogLine[]>();
    const byTask = new Map<string, LogLine[]>();
    for (const lines of logs.values()) {
      for (const line of lines) {
        if (line.id === undefined) continue;
        const pair = `${line.id} ${line.token}`;
        byPair.set(pair, [...(byPair.get(pair) ?? []), line]);
        byTask.set(line.id, [...(byTask.get(line.id) ?? []), line]);
      }
    }
    for (const [agent, lines] of logs) {
      if (!killed.has(agent)) expect(lines.at(-1)?.kind, `${agent} stopped cleanly`).toBe('stop');
    }

    const problems: string[] = [];
    const evidence = new Set<string>();
    const problem = (id: string, what: string) => {
      problems.push(`task ${id}: ${what}`);
      evidence.add(id);
    };
    const counts = {
      reclaims: 0,
      killReclaims: 0,
      killedJustAfterWrite: 0,
      refusedStale: 0,
      lost: 0,
      longDone: 0,
      releases: 0,
      failures: 0,
    };

    const rows = leaseRows(pool);
    expect(rows).toHaveLength(total);
    const histories = new Map<string, TaskTransition[]>();
    /** How each claim of each task ended, by task id and lease token. */
    const endingsByTask = new Map<string, Map<number, string>>();
    for (const row of rows) {
      const { id } = row;
      const history = pool.getTaskHistory(id);
      histories.set(id, history);
      const lines = byTask.get(id) ?? [];
      const has = (kind: string, token: number) => lines.some((line) => line.kind === kind && line.token === token);

      if (row.status !== COMPLETED) problem(id, `is ${row.status}, not completed`);
      if (row.lease_expires_at !== null) problem(id, `still has a lease until ${row.lease_expires_at}`);
      if (row.max_attempts !== MAX_ATTEMPTS) problem(id, `max_attempts ${row.max_attempts}`);

      // The history is one chain of allowed steps, from pending to completed.
      history.forEach((entry, i) => {
        const from = i === 0 ? PENDING : history[i - 1]!.to;
        if (entry.taskId !== id) problem(id, `history entry ${i} is about ${entry.taskId}`);
        if (entry.from !== from) problem(id, `history entry ${i} goes from ${entry.from}, but the task was ${from}`);
        if (!EDGES.has(`${entry.from}>${entry.to}`)) problem(id, `history entry ${i}: ${entry.from} → ${entry.to}`);
      });
      if (history.at(-1)?.to !== COMPLETED) problem(id, 'history does not end completed');
      const completions = history.filter((entry) => entry.to === COMPLETED).length;
      if (completions !== 1) problem(id, `completed ${completions} times`);
      const dones = lines.filter((line) => line.kind === 'done').length;
      if (dones > 1) problem(id, `${dones} holders logged that they completed it`);

      // Attempts: every claim counts one, a release gives it back (lease.ts). Each entry carries the count.
      let attempts = 0;
      for (const entry of history) {
        if (entry.to === CLAIMED) attempts++;
        if (entry.attempt !== attempts) {
          problem(id, `${entry.from} → ${entry.to} says attempt ${entry.attempt}, not ${attempts}`);
        }
        if (entry.to === PENDING && entry.reason?.startsWith('released by ')) attempts--;
      }
      if (row.attempts !== attempts) problem(id, `attempts ${row.attempts}, but its history adds up to ${attempts}`);

      // One claim per lease token: the k-th claim is token k, and only its holder ever logged that pair.
      const claims = history.flatMap((entry, i) => (entry.to === CLAIMED ? [i] : []));
      if (claims.length !== row.lease_token) problem(id, `${claims.length} claims, but lease_token ${row.lease_token}`);
      const endings = new Map<number, string>();
      endingsByTask.set(id, endings);
      claims.forEach((start, k) => {
        const token = k + 1;
        const pair = `${id} ${token}`;
        const segment = history.slice(start, claims[k + 1] ?? history.length);
        const holder = segment[0]!.agent ?? '(none)';
        for (const entry of segment) {
          if (entry.agent !== holder) problem(id, `claim ${token} by ${holder} has an entry by ${entry.agent}`);
        }
        const others = (byPair.get(pair) ?? []).filter((line) => line.agent !== holder);
        if (others.length > 0) problem(id, `claim ${token} is ${holder}'s, but ${others[0]!.agent} logged it`);
        const claimLine = (byPair.get(pair) ?? []).find((line) => line.kind === 'claimed');
        if (claimLine && Number(claimLine.rest[0]) !== segment[0]!.attempt) {
          problem(
            id,
            `claim ${token}: ${holder} was told attempt ${claimLine.rest[0]}, history says ${segment[0]!.attempt}`,
          );
        }
        if (!claimLine && !killed.has(holder)) problem(id, `claim ${token} by ${holder}, who never logged it`);

        const ending = endingOf(segment);
        endings.set(token, ending);
        // What the holder logged must agree with how its attempt ended.
        const killedHere = killed.has(holder) && killedHolding.get(holder) === pair;
        const silent = killed.has(holder) && !claimLine; // died between its claim and logging it
        switch (ending) {
          case 'completed':
            if (!has('attempt', token)) problem(id, `completed by ${holder}, who never tried to complete it`);
            if (row.result !== `${holder}:${token}`) {
              problem(id, `completed by ${holder}:${token}, result ${row.result}`);
            }
            if (row.assigned_agent !== holder) problem(id, `completed by ${holder}, assigned to ${row.assigned_agent}`);
            if (!has('done', token) && !killedHere) problem(id, `completed by ${holder}, who did not log it`);
            break;
          case 'expired':
            counts.reclaims++;
            if (killedHere || silent) counts.killReclaims++;
            else if (!has('lost', token)) problem(id, `claim ${token} expired, but ${holder} was alive and never told`);
            break;
          case 'released':
            counts.releases++;
            if (!has('release', token)) problem(id, `released, but ${holder} never released it`);
            break;
          case 'failed':
            counts.failures++;
            if (!has('fail', token)) problem(id, `failed, but ${holder} never failed it`);
            break;
          default:
            problem(id, `claim ${token} by ${holder} ended ${ending}`);
        }
      });

      // Every step a worker logged agrees with the history: above all, a write refused or done is
      // final, and nobody but the last holder wrote a result.
      for (const line of lines) {
        const token = line.token!;
        const ending = endings.get(token);
        if (ending === undefined) {
          problem(id, `${line.agent} logged ${line.kind} with token ${token}, which was never issued`);
          continue;
        }
        switch (line.kind) {
          case 'done':
            if (ending !== 'completed') problem(id, `${line.agent} completed with token ${token}, ended ${ending}`);
            if (line.token !== row.lease_token) problem(id, `done with token ${token}, final ${row.lease_token}`);
            break;
          case 'lost':
            counts.lost++;
            if (!LOST_REASONS.has(line.rest[0]!)) problem(id, `${line.agent} lost it: ${line.rest.join(' ')}`);
            if (ending !== 'expired') {
              problem(id, `${line.agent} was refused with token ${token}, which ended ${ending}`);
            }
            if (token >= row.lease_token) problem(id, `refused token ${token} is not older than ${row.lease_token}`);
            break;
          case 'released':
            if (ending !== 'released') problem(id, `${line.agent} released token ${token}, which ended ${ending}`);
            break;
          case 'failed':
            if (ending !== 'failed') problem(id, `${line.agent} failed token ${token}, which ended ${ending}`);
            if (line.rest[0] !== PENDING) problem(id, `failTask said ${line.rest[0]}, with attempts to spare`);
            break;
          case 'stall': {
            // A holder that paused past its lease never gets its result in.
            if (ending === 'completed') problem(id, `${line.agent} paused past its lease, yet completed it`);
            if (has('lost', token)) counts.refusedStale++;
            else if (killedHolding.get(line.agent) !== `${id} ${token}`) {
              problem(id, `${line.agent} paused past its lease and was never refused`);
            }
            break;
          }
          case 'long':
            if (has('done', token)) counts.longDone++;
            break;
        }
      }
    }

    // Each worker killed while holding a task: that attempt ended by expiry, or with the write it was
    // making when it died (committed just before the SIGKILL).
    for (const [agent, pair] of killedHolding) {
      const [id, token] = pair.split(' ') as [string, string];
      const last = logs.get(agent)!.at(-1)!;
      const ending = endingsByTask.get(id)?.get(Number(token));
      const justWritten: string | undefined = JUST_WRITTEN[last.kind];
      if (ending === 'expired') continue;
      if (ending === justWritten) counts.killedJustAfterWrite++;
      else problem(id, `${agent} died holding claim ${token}, ended ${ending}`);
    }
    const show = [...evidence].slice(0, 5).map((id) =>
      JSON.stringify(
        {
          row: rows.find((row) => row.id === id),
          history: histories.get(id),
          log: (byTask.get(id) ?? []).map((line) => `${line.agent}: ${line.kind} ${line.token} ${line.rest.join(' ')}`),
        },
        null,
        2,
      ),
    );
    expect(problems, `seed ${seed}; ${problems.length} problems; evidence:\n${show.join('\n')}`).toEqual([]);

    // The end state: all completed, nothing held, nothing left to reclaim.
    expectEveryTaskCompleted(pool, total);
    expect(pool.reclaimExpired()).toEqual({ requeued: 0, failed: 0 });

    console.info(
      [
        `crash-recovery (seed ${seed}): ${workers.length} worker processes, ${kills} SIGKILLs`,
        `(${killedHolding.size} of a worker holding a task) in ${killPhaseMs} ms;`,
        `${total} tasks completed in ${elapsed} ms;`,
        `${counts.reclaims} expired leases reclaimed (${counts.killReclaims} of killed holders;`,
        `${counts.killedJustAfterWrite} killed just after their write went through);`,
        `${counts.lost} stale writes refused (${counts.refusedStale} after a pause past the lease);`,
        `${counts.longDone} long tasks kept by heartbeats; ${counts.releases} releases; ${counts.failures} retried failures`,
      ].join(' '),
    );
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(counts.killReclaims, 'tasks of killed holders came back by lease expiry').toBeGreaterThan(0);
    expect(counts.refusedStale, 'a holder that paused past its lease was refused').toBeGreaterThan(0);
  }, 180_000);
});

describe('a stale holder in its own process', () => {
  const LEASE_MS = 300;

  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  /** A lease-holder.mjs process, driven one command at a time. */
  async function startHolder(path: string, agent: string, leaseMs = LEASE_MS) {
    const child = fork('lease-holder.mjs', [path, agent, String(leaseMs)]);
    await child.nextMessage();
    const request = <T = Record<string, unknown>>(command: Record<string, unknown>): Promise<T> => {
      const reply = child.nextMessage() as Promise<T>;
      child.process.send(command);
      return reply;
    };
    return {
      request,
      claim: async () => (await request<{ task: Task | null }>({ op: 'claim' })).task,
      async close() {
        await request({ op: 'close' });
        const result = await child.result;
        expect(result.stderr, `${agent} wrote to stderr`).toBe('');
        expect(result.code).toBe(0);
      },
    };
  }

  async function sleepUntil(at: number): Promise<void> {
    while (Date.now() < at) await sleep(Math.max(1, at - Date.now()));
  }

  function oneTask(): { path: string; pool: TaskPool; id: string } {
    const path = join(pools.dir(), 'stale.db');
    const pool = pools.file(path, { leaseMs: LEASE_MS });
    const task = pool.createTask({ title: 'slow work', description: 'claimed by a holder that stops' });
    return { path, pool, id: task.id };
  }

  it('pauses past its lease while another process takes over and completes: its late writes are refused, the first result stays', async () => {
    const { path, pool, id } = oneTask();
    const a = await startHolder(path, 'holder-a');
    const b = await startHolder(path, 'holder-b');

    const first = (await a.claim())!;
    expect(first).toMatchObject({ id, status: CLAIMED, assignedAgent: 'holder-a', leaseToken: 1, attempts: 1 });
    expect(await a.request({ op: 'start' })).toEqual({ ok: true });
    // A's whole process stops for longer than its lease: no heartbeat can go out.
    const paused = a.request({ op: 'pause', ms: LEASE_MS + 200 });

    // Meanwhile B: once A's lease has run out, B's claim takes the task over.
    await sleepUntil(first.leaseExpiresAt! + 1);
    const second = (await b.claim())!;
    expect(second).toMatchObject({ id, status: CLAIMED, assignedAgent: 'holder-b', leaseToken: 2, attempts: 2 });
    expect(await b.request({ op: 'start' })).toEqual({ ok: true });
    expect(await b.request({ op: 'complete', result: 'result of holder-b' })).toEqual({ ok: true });
    const completed = rawRow(pool, id);

    // A wakes and carries on as if nothing happened.
    expect(await paused).toEqual({ paused: LEASE_MS + 200 });
    const refused = {
      error: expect.objectContaining({ code: 'OMC_LEASE_LOST', reason: 'superseded', status: COMPLETED }),
    };
    expect(await a.request({ op: 'complete', result: 'result of holder-a' })).toEqual(refused);
    expect(await a.request({ op: 'heartbeat' })).toEqual(refused);
    expect(await a.request({ op: 'start' })).toEqual(refused);

    // Nothing was written: the row is byte for byte what B left.
    expect(rawRow(pool, id)).toEqual(completed);
    expect(pool.getTask(id)).toMatchObject({
      status: COMPLETED,
      result: 'result of holder-b',
      assignedAgent: 'holder-b',
      leaseToken: 2,
      attempts: 2,
    });
    expect(pool.getTaskHistory(id)).toMatchObject([
      { from: PENDING, to: CLAIMED, agent: 'holder-a', attempt: 1 },
      { from: CLAIMED, to: IN_PROGRESS, agent: 'holder-a', attempt: 1 },
      {
        from: IN_PROGRESS,
        to: PENDING,
        agent: 'holder-a',
        attempt: 1,
        reason: expect.stringContaining('lease expired'),
      },
      { from: PENDING, to: CLAIMED, agent: 'holder-b', attempt: 2 },
      { from: CLAIMED, to: IN_PROGRESS, agent: 'holder-b', attempt: 2 },
      { from: IN_PROGRESS, to: COMPLETED, agent: 'holder-b', attempt: 2 },
    ]);
    await a.close();
    await b.close();
  }, 30_000);

  it('pauses past its lease with nobody waiting: refused all the same, and the next claim reclaims the task', async () => {
    const { path, pool, id } = oneTask();
    const a = await startHolder(path, 'holder-a');

    const first = (await a.claim())!;
    expect(await a.request({ op: 'start' })).toEqual({ ok: true });
    expect(await a.request({ op: 'pause', ms: LEASE_MS + 100 })).toEqual({ paused: LEASE_MS + 100 });
    expect(Date.now()).toBeGreaterThan(first.leaseExpiresAt!);
    const held = rawRow(pool, id);
    expect(await a.request({ op: 'complete', result: 'late result' })).toEqual({
      error: expect.objectContaining({ code: 'OMC_LEASE_LOST', reason: 'expired', status: IN_PROGRESS }),
    });
    expect(await a.request({ op: 'heartbeat' })).toEqual({
      error: expect.objectContaining({ code: 'OMC_LEASE_LOST', reason: 'expired' }),
    });
    // Refused without a trace; the task is still A's expired claim until someone reclaims it.
    expect(rawRow(pool, id)).toEqual(held);
    expect(pool.getTask(id)).toMatchObject({ status: IN_PROGRESS, leaseToken: 1, attempts: 1 });
    expect(pool.getTask(id)?.result).toBeUndefined();

    // Another process claims: the expired lease is reclaimed, and the task is its.
    const b = await startHolder(path, 'holder-b');
    const second = (await b.claim())!;
    expect(second).toMatchObject({ id, assignedAgent: 'holder-b', leaseToken: 2, attempts: 2 });
    expect(await a.request({ op: 'complete', result: 'later still' })).toEqual({
      error: expect.objectContaining({ code: 'OMC_LEASE_LOST', reason: 'superseded', status: CLAIMED }),
    });
    expect(await b.request({ op: 'start' })).toEqual({ ok: true });
    expect(await b.request({ op: 'complete', result: 'result of holder-b' })).toEqual({ ok: true });
    expect(pool.getTask(id)).toMatchObject({ status: COMPLETED, result: 'result of holder-b', leaseToken: 2 });
    expect(pool.getTaskHistory(id).map((entry) => `${entry.from}>${entry.to} ${entry.agent}`)).toEqual([
      'pending>claimed holder-a',
      'claimed>in_progress holder-a',
      'in_progress>pending holder-a',
      'pending>claimed holder-b',
      'claimed>in_progress holder-b',
      'in_progress>completed holder-b',
    ]);
    await a.close();
    await b.close();
  }, 30_000);

  it('keeps its lease past the lease length by heartbeating, while another process tries to claim', async () => {
    const LONG_LEASE_MS = 1_500;
    const path = join(pools.dir(), 'heartbeat.db');
    const pool = pools.file(path, { leaseMs: LONG_LEASE_MS });
    const { id } = pool.createTask({ title: 'long work', description: 'kept alive by heartbeats' });
    const a = await startHolder(path, 'holder-a', LONG_LEASE_MS);
    const b = await startHolder(path, 'holder-b', LONG_LEASE_MS);

    const first = (await a.claim())!;
    expect(await a.request({ op: 'start' })).toEqual({ ok: true });
    let expiresAt = first.leaseExpiresAt!;
    // Heartbeat every 250 ms for two lease lengths; B finds nothing to claim all along.
    while (Date.now() < first.startedAt! + 2 * LONG_LEASE_MS) {
      await sleep(250);
      const beat = await a.request<{ ok?: true; value?: { leaseExpiresAt: number }; error?: unknown }>({
        op: 'heartbeat',
      });
      expect(beat.error).toBeUndefined();
      expect(beat.value!.leaseExpiresAt).toBeGreaterThanOrEqual(expiresAt);
      expiresAt = beat.value!.leaseExpiresAt;
      expect(await b.claim()).toBeNull();
    }
    expect(await a.request({ op: 'complete', result: 'long result' })).toEqual({ ok: true });
    expect(pool.getTask(id)).toMatchObject({ status: COMPLETED, result: 'long result', leaseToken: 1, attempts: 1 });
    await a.close();
    await b.close();
  }, 30_000);
});
