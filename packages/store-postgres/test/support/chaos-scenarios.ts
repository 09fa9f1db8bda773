/**
 * The chaos scenarios of issue 12, written once: test/multi-host.test.ts and test/server-restart.test.ts
 * assert on them, and chaos/run.ts prints them as one table. Each scenario drains tasks with a fleet of
 * worker processes (chaos/worker.mjs) from a fresh schema, injects its fault after a fault-free stretch,
 * keeps the queue topped up until the fault is over (so the fault always lands mid-run), lets the queue
 * drain, and checks from a fresh pool that every task was completed exactly once (chaos-verify.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CreateTaskInput, TaskPriority, TaskStatus, type TaskStore } from '@omc/core';
import { ChaosFleet, DEFAULT_WORKER_OPTIONS, type WorkerOptions } from './chaos-fleet.js';
import { type Verification, verifyExactlyOnce } from './chaos-verify.js';
import { PG_BIN, type PgCluster, psql } from './cluster.js';

/** The shared server of the test suite (a fresh schema per run, dropped afterwards). */
export const SHARED_PG_URL = process.env.OMC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface StoreOptions {
  poolSize?: number;
  connectTimeoutMs?: number;
  backoff?: { baseMs: number; maxMs: number };
}

/** A store closed by `close()`: what the scenarios need of PostgresTaskPool. */
export type ClosableStore = TaskStore;

/** Opens the pool under test; a parameter so the scenarios are written against the TaskStore contract. */
export type OpenStore = (url: string, schema: string, options?: StoreOptions) => Promise<ClosableStore>;

/** `PostgresTaskPool.open` from this package's source. */
export const openPostgresStore: OpenStore = async (url, schema, options = {}) => {
  const { PostgresTaskPool } = await import('../../src/index.js');
  return PostgresTaskPool.open(url, { schema, poolSize: options.poolSize ?? 4, ...options });
};

/** A schema name no other run uses. */
export function freshSchema(prefix = 'omc_chaos'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface ScenarioResult extends Verification {
  scenario: string;
  /** Tasks completed per second before the fault. */
  before: number;
  /** Tasks completed per second from the fault to the last completion. */
  after: number;
  /** Workers SIGKILLed by the scenario. */
  kills: number;
  /** What the scenario observed along the way (restart times, terminated backends, dead tuples…). */
  notes: string[];
  /** Workers that exited on their own with an error (stuck, hung, crashed), with their stderr. */
  failures: string[];
}

/** What a fault sees while it runs. */
export interface DrainRun {
  url: string;
  schema: string;
  /** The orchestrator's own pool (seeding, top-ups, stats); faults may break its connections too. */
  store: ClosableStore;
  fleet: ChaosFleet;
  /** Add tasks to the run (they count in the check). */
  create(inputs: CreateTaskInput[]): Promise<void>;
  /** Every task created so far is finished. */
  drained(): boolean;
  note(line: string): void;
  /** Something the fault saw that breaks a promise (a hang, an untyped error): fails the scenario. */
  violation(line: string): void;
  kills: number;
}

export interface DrainSpec {
  scenario: string;
  url: string;
  workers: number;
  /** Tasks created before the workers start. */
  seed: number;
  /** What each seeded / topped-up task looks like. */
  task?: (i: number) => Partial<CreateTaskInput>;
  worker?: (i: number) => Partial<WorkerOptions>;
  /** Fault-free stretch first: the "before" throughput. */
  beforeMs: number;
  /** Keep at least this many tasks pending while the fault runs (0: no top-up)… */
  topUp?: number;
  /** …up to this many tasks in all (default 10 000). */
  maxTasks?: number;
  fault(run: DrainRun): Promise<void>;
  /** Extra checks over the finished run, read through a fresh pool; returns violations. */
  check?(store: ClosableStore, ids: readonly string[], note: (line: string) => void): Promise<string[]>;
  /** The whole run must finish within this; what is not finished by then is counted stranded. */
  deadlineMs: number;
  storeOptions?: StoreOptions;
  openStore?: OpenStore;
  /** Another worker program (a dry run of the harness on another store). */
  workerScript?: string;
  /** Keep the schema afterwards (for a look at a failure). */
  keepSchema?: boolean;
}

const TASK_DEFAULTS = (i: number): CreateTaskInput => ({
  title: `chaos ${i}`,
  description: `chaos work item ${i}`,
  priority: [TaskPriority.LOW, TaskPriority.MEDIUM, TaskPriority.HIGH, TaskPriority.CRITICAL][i % 4],
  leaseMs: 1000,
  // Kills and restarts cost attempts; enough that none fails a task for good.
  maxAttempts: 25,
});

/** Retry a store call through connection faults for up to `ms` (the orchestrator survives what workers do). */
async function patiently<T>(what: string, fn: () => Promise<T> | T, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`${what} kept failing for ${ms} ms: ${String(error)}`, { cause: error });
      await sleep(delay);
    }
  }
}

function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

/** Run one scenario end to end and check it. Never throws for a broken store: it reports it. */
export async function runDrain(spec: DrainSpec): Promise<ScenarioResult> {
  const open = spec.openStore ?? openPostgresStore;
  const schema = freshSchema();
  await psql(spec.url, `create schema if not exists ${schema}`);
  const store = await open(spec.url, schema, { poolSize: 4, ...spec.storeOptions });
  const fleet = new ChaosFleet({
    ...DEFAULT_WORKER_OPTIONS,
    url: spec.url,
    schema,
    ...(spec.storeOptions?.backoff ? { backoff: spec.storeOptions.backoff } : {}),
    ...(spec.workerScript ? { script: spec.workerScript } : {}),
  });
  const ids: string[] = [];
  const notes: string[] = [];
  const violations: string[] = [];
  let made = 0;
  let finished = 0;
  const template = (i: number) => ({ ...TASK_DEFAULTS(i), ...spec.task?.(i) });
  const create = async (inputs: CreateTaskInput[]) => {
    for (let i = 0; i < inputs.length; i += 500) {
      const created = await patiently('createTasks', () => store.createTasks(inputs.slice(i, i + 500)));
      for (const task of created) ids.push(task.id);
    }
  };
  const batch = (n: number) => Array.from({ length: n }, () => template(made++));
  const run: DrainRun = {
    url: spec.url,
    schema,
    store,
    fleet,
    create,
    drained: () => finished >= ids.length,
    note: (line) => notes.push(line),
    violation: (line) => violations.push(line),
    kills: 0,
  };
  let startAt = 0;
  let faultAt = 0;
  try {
    await create(batch(spec.seed));
    await fleet.startMany(spec.workers, spec.worker);
    startAt = Date.now();
    const deadline = startAt + spec.deadlineMs;
    let faultOver = false;
    // The poller: how many tasks are finished, and top-ups while the fault runs.
    const poller = (async () => {
      while (Date.now() < deadline && !(faultOver && finished >= ids.length)) {
        try {
          const stats = await store.getStats();
          finished = stats.completed + stats.failed + stats.cancelled;
          const room = (spec.maxTasks ?? 10_000) - ids.length;
          if (!faultOver && spec.topUp && stats.pending < spec.topUp && room > 0) {
            await create(batch(Math.min(spec.topUp, room)));
          }
        } catch {
          // The fault broke the orchestrator's connection too; look again shortly.
        }
        await sleep(100);
      }
    })();
    await sleep(spec.beforeMs);
    faultAt = Date.now();
    await Promise.race([
      spec.fault(run).catch((error) => {
        violations.push(`the fault itself failed: ${String(error)}`);
      }),
      sleep(Math.max(0, deadline - Date.now())),
    ]);
    faultOver = true;
    await poller;
    if (finished < ids.length) notes.push(`not drained within ${spec.deadlineMs} ms`);
    await fleet.stop();
  } finally {
    fleet.killAll();
    await Promise.resolve()
      .then(() => store.close())
      .catch(() => {});
  }

  // The check reads through a pool that played no part in the run: what it sees is what was stored.
  const fresh = await open(spec.url, schema, { poolSize: 4 });
  try {
    const logs = [...fleet.logs()].map(([worker, lines]) => ({ agent: worker.agent, killed: worker.killed, lines }));
    const verification = await verifyExactlyOnce(fresh, ids, logs);
    verification.violations.push(...violations);
    if (spec.check) verification.violations.push(...(await spec.check(fresh, ids, (line) => notes.push(line))));
    const times = verification.completedAt;
    const last = Math.max(faultAt, ...times);
    const result: ScenarioResult = {
      scenario: spec.scenario,
      ...verification,
      before: rate(times.filter((t) => t >= startAt && t < faultAt).length, faultAt - startAt),
      after: rate(times.filter((t) => t >= faultAt).length, last - faultAt),
      kills: run.kills,
      notes,
      failures: fleet.failures(),
    };
    return result;
  } finally {
    await fresh.close();
    await fleet.destroy();
    if (!spec.keepSchema) await psql(spec.url, `drop schema if exists ${schema} cascade`).catch(() => {});
  }
}

/** A random integer in [min, max]. */
function between(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

// ---------------------------------------------------------------------------------------------------------
// The scenarios. Each returns its DrainSpec; sizes are parameters so the tests can run them larger.

export interface Size {
  workers?: number;
  /** Every worker claims this many at a time (default: half claim 1, half claim batches of 8). */
  batch?: number;
  seed?: number;
  /** Most tasks in all, top-ups included. */
  maxTasks?: number;
  deadlineMs?: number;
}

/**
 * Workers SIGKILLed at random, mid-task, and replaced, until `minKills` kills (the queue is topped up until
 * then). Short leases, so a killed holder's task is reclaimed within a second. Half the workers claim one
 * task at a time, half claim batches of 8 and complete them in one group.
 */
export function sigkillWorkers(url: string, size: Size & { minKills?: number } = {}): DrainSpec {
  const workers = size.workers ?? 4;
  return {
    scenario: 'workers SIGKILLed mid-task',
    url,
    workers,
    seed: size.seed ?? 2000,
    topUp: 300,
    maxTasks: size.maxTasks ?? 3000,
    beforeMs: 1500,
    deadlineMs: size.deadlineMs ?? 90_000,
    task: () => ({ leaseMs: 600 }),
    worker: (i) => ({ batch: i % 2 === 0 ? 1 : 8, workMs: 3 }),
    async fault(run) {
      const minKills = size.minKills ?? 12;
      let held = 0;
      while (run.kills < minKills) {
        await sleep(between(80, 300));
        // A worker still opening its pool holds nothing yet: pick among those at work.
        const running = run.fleet.running().filter((worker) => worker.isReady);
        const victim = running[Math.floor(Math.random() * running.length)];
        if (!victim) continue;
        // Whether it died holding a task: its last logged step was inside a claim.
        const last = run.fleet.lastLine(victim)?.[0];
        await run.fleet.kill(victim);
        run.kills++;
        if (last === 'claimed' || last === 'attempt' || last === 'fail') held++;
        // The replacement joins while the killing goes on, as a restarted host would.
        run.fleet.start(undefined, { batch: run.fleet.workers.length % 2 === 0 ? 1 : 8, workMs: 3 });
      }
      run.note(`${run.kills} workers SIGKILLed, ${held} of them while holding a task`);
    },
  };
}

/** `pg_ctl restart -m <mode>` mid-run (or a `kill -9` of the postmaster and a start), on a throwaway cluster. */
export function serverRestart(
  cluster: PgCluster,
  mode: 'fast' | 'immediate' | 'kill9',
  size: Size & { restarts?: number } = {},
): DrainSpec {
  return {
    scenario: mode === 'kill9' ? 'postmaster kill -9, then start' : `server restart -m ${mode}`,
    url: cluster.url,
    workers: size.workers ?? 4,
    seed: size.seed ?? 1500,
    topUp: 300,
    beforeMs: 1500,
    deadlineMs: size.deadlineMs ?? 90_000,
    worker: (i) => ({ batch: size.batch ?? (i % 2 === 0 ? 1 : 8) }),
    async fault(run) {
      for (let i = 0; i < (size.restarts ?? 1); i++) {
        if (i > 0) await sleep(1000);
        const started = Date.now();
        if (mode === 'kill9') {
          cluster.kill9();
          await cluster.start();
        } else await cluster.restart(mode);
        run.note(`${mode === 'kill9' ? 'kill -9 + start' : `restart -m ${mode}`}: down ${Date.now() - started} ms`);
      }
      // Let the workers show they carry on before the top-ups stop.
      await sleep(1500);
    },
  };
}

/** Every client backend but this one, terminated every `everyMs` for `forMs` (a throwaway cluster: all ours). */
export function terminateBackends(url: string, size: Size & { forMs?: number; everyMs?: number } = {}): DrainSpec {
  return {
    scenario: 'backends killed by pg_terminate_backend',
    url,
    workers: size.workers ?? 4,
    seed: size.seed ?? 1500,
    topUp: 300,
    beforeMs: 1500,
    deadlineMs: size.deadlineMs ?? 90_000,
    worker: (i) => ({ batch: size.batch ?? (i % 2 === 0 ? 1 : 8) }),
    async fault(run) {
      const until = Date.now() + (size.forMs ?? 4000);
      let terminated = 0;
      let rounds = 0;
      while (Date.now() < until) {
        const killed = await psql(
          url,
          `select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity
            where backend_type = 'client backend' and pid <> pg_backend_pid() and datname = current_database()`,
        ).catch(() => '0');
        terminated += Number(killed);
        rounds++;
        await sleep(size.everyMs ?? 250);
      }
      run.note(`${terminated} backends terminated in ${rounds} rounds`);
      await sleep(1000);
    },
  };
}

/**
 * More concurrent operations than connections: two workers with a pool of 2 each go from 2 claim loops to
 * 24, and the orchestrator fires 300 reads at once on a pool of 2. Every operation settles (queued, or
 * refused with a typed error); none hangs (a worker exits non-zero when one takes over 20 s).
 */
export function poolExhausted(url: string, size: Size = {}): DrainSpec {
  return {
    scenario: 'connection pool exhausted',
    url,
    workers: size.workers ?? 2,
    seed: size.seed ?? 1500,
    topUp: 300,
    beforeMs: 1500,
    deadlineMs: size.deadlineMs ?? 90_000,
    worker: () => ({ poolSize: 2, concurrency: 2, opTimeoutMs: 20_000 }),
    async fault(run) {
      for (const worker of run.fleet.running()) worker.process.send({ concurrency: 24 });
      await queuedReads(run);
      await blockedPool(run);
      await sleep(2500);
    },
  };
}

/** 300 reads at once on a pool of 2: they queue for the connections and all settle. */
async function queuedReads(run: DrainRun): Promise<void> {
  const probe = await openPostgresStoreLike(run, 2);
  try {
    const ids = (await probe.getTasks()).slice(0, 300).map((task) => task.id);
    const started = Date.now();
    const settled = await Promise.race([
      Promise.allSettled(Array.from({ length: 300 }, (_, i) => probe.getTask(ids[i % Math.max(1, ids.length)] ?? ''))),
      sleep(20_000).then(() => undefined),
    ]);
    if (!settled) {
      run.violation('300 concurrent reads on a pool of 2 did not settle within 20 s');
      return;
    }
    const refused = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    const codes = [...new Set(refused.map((s) => String((s.reason as { code?: string })?.code)))];
    run.note(
      `300 concurrent reads on a pool of 2 settled in ${Date.now() - started} ms: ${300 - refused.length} answered, ${refused.length} refused${codes.length ? ` (${codes.join(', ')})` : ''}`,
    );
    if (codes.some((code) => !code.startsWith('OMC_'))) run.violation(`untyped refusals: ${codes.join(', ')}`);
  } finally {
    await probe.close();
  }
}

/**
 * A pool of 1 whose one connection is stuck (a heartbeat waiting on a row lock another session holds):
 * 20 more calls cannot get a connection, and must be refused with a typed error once the pool's connect
 * timeout (300 ms) passes, not wait forever. Then the lock goes, and the stuck call completes.
 */
async function blockedPool(run: DrainRun): Promise<void> {
  // A schema of its own, so the probe's task is none of the workers' business.
  const schema = freshSchema('omc_chaos_probe');
  const probe = await openPostgresStore(run.url, schema, { poolSize: 1, connectTimeoutMs: 300 });
  let lock: HeldSession | undefined;
  try {
    await probe.createTask({ title: 'blocked', description: 'held behind a row lock', leaseMs: 60_000 });
    const held = await probe.claimTask('pool-probe');
    if (!held) {
      run.violation('the blocked-pool probe could not claim its task');
      return;
    }
    lock = await heldSession(
      run.url,
      `begin; select id from "${schema}".tasks where id = '${held.id}' for update;`,
      'omc-chaos-pool-lock',
    );
    const stuck = Promise.resolve(probe.heartbeat(held)).then(
      () => 'ok',
      (error: { code?: string }) => String(error?.code),
    );
    await sleep(100);
    const started = Date.now();
    const settled = await Promise.race([
      Promise.allSettled(Array.from({ length: 20 }, () => probe.getStats())),
      sleep(20_000).then(() => undefined),
    ]);
    await lock.close();
    lock = undefined;
    if (!settled) {
      run.violation('20 calls on a pool of 1 whose connection is stuck did not settle within 20 s');
      return;
    }
    const refused = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    const codes = [...new Set(refused.map((s) => String((s.reason as { code?: string })?.code)))];
    run.note(
      `pool of 1, its connection stuck behind a row lock: ${refused.length} of 20 calls refused within ${Date.now() - started} ms (${codes.join(', ') || 'none'}), the stuck heartbeat then ${await stuck}`,
    );
    if (refused.length === 0)
      run.violation('a pool of 1 with a stuck connection queued calls past its connect timeout');
    if (codes.some((code) => !code.startsWith('OMC_'))) run.violation(`untyped refusals: ${codes.join(', ')}`);
  } finally {
    await lock?.close();
    await probe.close();
    await psql(run.url, `drop schema if exists ${schema} cascade`).catch(() => {});
  }
}

/** A second pool of `poolSize` on the run's schema, as the run opened its own. */
async function openPostgresStoreLike(run: DrainRun, poolSize: number): Promise<ClosableStore> {
  return openPostgresStore(run.url, run.schema, { poolSize });
}

/**
 * A reader idle in a REPEATABLE READ transaction for the whole fault, holding back vacuum (its snapshot
 * pins the xmin horizon), while the queue churns: new tasks every 100 ms, drained as they come.
 */
export function idleInTransaction(url: string, size: Size & { forMs?: number } = {}): DrainSpec {
  return {
    scenario: 'idle-in-transaction reader',
    url,
    workers: size.workers ?? 4,
    seed: size.seed ?? 1500,
    topUp: 300,
    beforeMs: 1500,
    deadlineMs: size.deadlineMs ?? 90_000,
    worker: (i) => ({ batch: size.batch ?? (i % 2 === 0 ? 1 : 8) }),
    async fault(run) {
      const reader = await idleReader(url);
      try {
        await sleep(size.forMs ?? 4000);
        const state = await psql(
          url,
          `select state || ' for ' || round(extract(epoch from now() - xact_start))::int || ' s, xmin age ' || age(backend_xmin)
             from pg_stat_activity where application_name = 'omc-chaos-idle-reader'`,
        );
        const dead = await psql(
          url,
          `select coalesce(sum(n_dead_tup), 0) from pg_stat_user_tables where schemaname = '${run.schema}'`,
        );
        run.note(`reader ${state || 'NOT FOUND'}; ${dead} dead tuples in the schema it holds back`);
      } finally {
        await reader.close();
      }
    },
  };
}

/** A psql session that opens a REPEATABLE READ transaction, reads once, and then sits idle in it until closed. */
export function idleReader(url: string): Promise<HeldSession> {
  return heldSession(
    url,
    'begin isolation level repeatable read; select count(*) from pg_class;',
    'omc-chaos-idle-reader',
  );
}

export interface HeldSession {
  process: ChildProcess;
  /** Roll back and end the session. */
  close(): Promise<void>;
}

/**
 * A psql session (application_name `name`) that runs `sql` (typically `begin; …` taking locks or a
 * snapshot) and then stays idle inside its transaction until closed.
 */
export async function heldSession(url: string, sql: string, name: string): Promise<HeldSession> {
  const target = `${url}${url.includes('?') ? '&' : '?'}application_name=${name}`;
  const child = spawn(join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (chunk: string) => {
    out += chunk;
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  child.stdin.write(`${sql}\n\\echo held\n`);
  const deadline = Date.now() + 10_000;
  while (!out.includes('held')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the psql session ${name} did not start: ${out}`);
    }
    await sleep(20);
  }
  return {
    process: child,
    async close() {
      child.stdin.end('rollback;\n');
      await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(5000)]);
      child.kill('SIGKILL');
    },
  };
}

/**
 * A retry storm: from the fault on, every new task fails its first two attempts (failTask, retried with
 * backoff) and completes on the third. Each must complete once, after exactly its planned failures.
 */
export function retryStorm(url: string, size: Size & { storm?: number } = {}): DrainSpec {
  const FAIL_FIRST = 2;
  const BACKOFF = { baseMs: 20, maxMs: 200 };
  return {
    scenario: 'retry storm (2 failures each)',
    url,
    workers: size.workers ?? 4,
    seed: size.seed ?? 1500,
    beforeMs: 1500,
    deadlineMs: size.deadlineMs ?? 90_000,
    storeOptions: { backoff: BACKOFF },
    worker: (i) => ({ batch: size.batch ?? (i % 2 === 0 ? 1 : 8) }),
    async fault(run) {
      const storm = size.storm ?? 1500;
      await run.create(
        Array.from({ length: storm }, (_, i) => ({
          title: `storm ${i}`,
          description: `fails its first ${FAIL_FIRST} attempts`,
          metadata: { failFirst: FAIL_FIRST },
          leaseMs: 2000,
          maxAttempts: FAIL_FIRST + 10,
        })),
      );
    },
    async check(store, ids, note) {
      const violations: string[] = [];
      const gaps: number[] = [];
      const ours = new Set(ids);
      for (const task of await store.getTasks()) {
        if (!ours.has(task.id) || task.metadata?.failFirst === undefined) continue;
        const history = await store.getTaskHistory(task.id);
        // Each of the first FAIL_FIRST attempts ends once: failed as planned, or (a stalled holder) expired.
        const early = history.filter(
          (t) => t.attempt <= FAIL_FIRST && t.to === TaskStatus.PENDING && t.from !== TaskStatus.PENDING,
        );
        const completion = history.find((t) => t.to === TaskStatus.COMPLETED);
        if (early.length !== FAIL_FIRST || !completion || completion.attempt <= FAIL_FIRST) {
          violations.push(
            `${task.id}: attempts ended ${early.map((t) => `${t.attempt}: ${t.reason}`).join('; ')}, completed at attempt ${completion?.attempt}`,
          );
        }
        for (const failure of early) {
          const next = history.find((t) => t.attempt === failure.attempt + 1 && t.to === TaskStatus.CLAIMED);
          if (next) gaps.push(next.at - failure.at);
        }
      }
      // The backoff, as seen: not asserted (each process stamps a write with its own clock, read before it
      // waits for the database, so a gap can even look negative), but a storm without backoff shows here.
      gaps.sort((x, y) => x - y);
      note(
        `failure → next claim: median ${gaps[Math.floor(gaps.length / 2)] ?? '-'} ms (backoff ${BACKOFF.baseMs}–${BACKOFF.maxMs} ms)`,
      );
      return violations;
    },
  };
}

/**
 * Low-priority work under a flood: LOW tasks queued, then for `forMs` HIGH and CRITICAL tasks topped up so
 * that there are always more of them pending than the workers can take (whatever their speed). The LOW
 * tasks wait out the flood (priority order), but every one of them finishes once it ends: none stranded.
 */
export function priorityFlood(url: string, size: Size & { forMs?: number } = {}): DrainSpec {
  const seed = size.seed ?? 1500;
  let floodEnd = 0;
  return {
    scenario: 'low priority under a high-priority flood',
    url,
    workers: size.workers ?? 4,
    seed,
    beforeMs: 1000,
    deadlineMs: size.deadlineMs ?? 90_000,
    task: () => ({ priority: TaskPriority.LOW }),
    worker: (i) => ({ batch: size.batch ?? (i % 2 === 0 ? 1 : 8) }),
    async fault(run) {
      const until = Date.now() + (size.forMs ?? 2500);
      let i = 0;
      while (Date.now() < until) {
        // Pending counts the LOW tasks too: keep it above all of them plus a margin of HIGH ones.
        const pending = await Promise.resolve(run.store.getStats()).then(
          (stats) => stats.pending,
          () => 0,
        );
        if (pending < seed + 300) {
          await run.create(
            Array.from({ length: 400 }, () => ({
              title: `flood ${i}`,
              description: 'high-priority flood',
              priority: i++ % 2 === 0 ? TaskPriority.HIGH : TaskPriority.CRITICAL,
              leaseMs: 1000,
              maxAttempts: 25,
            })),
          );
        }
        await sleep(50);
      }
      floodEnd = Date.now();
      run.note(`${i} high-priority tasks in the flood`);
    },
    async check(store, ids, note) {
      const ours = new Set(ids);
      const lows = (await store.getTasks()).filter((t) => ours.has(t.id) && t.priority === TaskPriority.LOW);
      const unfinished = lows.filter((t) => t.status !== TaskStatus.COMPLETED);
      const waited = lows.filter((t) => (t.completedAt ?? 0) > floodEnd).length;
      note(`${waited} of ${lows.length} low-priority tasks waited out the flood and then completed`);
      return unfinished.length === 0 ? [] : [`${unfinished.length} of ${lows.length} low-priority tasks not completed`];
    },
  };
}
