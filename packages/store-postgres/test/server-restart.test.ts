/**
 * What PostgreSQL does to a pool, on a throwaway cluster this file starts itself (initdb/pg_ctl as the
 * postgres user, on a free port): the server restarted mid-run (`pg_ctl restart -m fast`, then once
 * `-m immediate`, a crash with recovery) and backends killed repeatedly with `pg_terminate_backend`, while
 * worker processes drain tasks. The workers must reconnect and carry on, and every task must be
 * completed exactly once; the errors they meet on the way must be typed. First, the harness itself:
 * start, stop, restart, kill -9, a start that fails, and cleanup that leaves no server behind.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertWorkersCanRun } from './support/chaos-build.js';
import { expectExactlyOnce } from './support/chaos-expect.js';
import { PACKAGE_DIR } from './support/chaos-fleet.js';
import {
  freshSchema,
  heldSession,
  openPostgresStore,
  runDrain,
  serverRestart,
  terminateBackends,
} from './support/chaos-scenarios.js';
import { PgCluster, PgClusterError, processesIn, psql } from './support/cluster.js';

/** Wait until `condition` holds, up to `ms`. */
async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

describe('the throwaway cluster', () => {
  it('starts, keeps committed data through restarts (fast, immediate) and a kill -9, and leaves nothing behind', async () => {
    const cluster = await PgCluster.create();
    const { dataDir, baseDir } = cluster;
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(cluster.postmasterPid()).toBeGreaterThan(0);
      expect(cluster.processes().length).toBeGreaterThan(1);
      await psql(cluster.url, 'create table t (n int); insert into t values (1)');
      await cluster.restart('fast');
      await psql(cluster.url, 'insert into t values (2)');
      await cluster.restart('immediate');
      await psql(cluster.url, 'insert into t values (3)');
      const killed = cluster.kill9();
      expect(killed).toBeGreaterThan(0);
      expect(await until(() => cluster.postmasterPid() === undefined, 5000)).toBe(true);
      expect(await cluster.isUp()).toBe(false);
      await cluster.start();
      expect(await psql(cluster.url, "select string_agg(n::text, ',' order by n) from t")).toBe('1,2,3');
      await cluster.stop('fast');
      expect(cluster.postmasterPid()).toBeUndefined();
      await cluster.start();
    } finally {
      await cluster.destroy();
    }
    expect(processesIn(dataDir)).toEqual([]);
    expect(existsSync(baseDir)).toBe(false);
    await expect(cluster.start()).rejects.toThrow(PgClusterError);
  }, 120_000);

  it('a start that cannot succeed fails within its timeout, with the server log, and leaves nothing behind', async () => {
    const error = await PgCluster.create({ settings: { shared_buffers: "'nonsense'" }, startTimeoutMs: 3000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PgClusterError);
    expect((error as Error).message).toContain('did not start within 3000 ms');
    expect((error as Error).message).toMatch(/invalid value for parameter "shared_buffers"/);
    const dir = /\/\S*omc-pg-cluster-\w+/.exec((error as Error).message)?.[0];
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
    expect(processesIn(`${dir}/data`)).toEqual([]);
  }, 60_000);

  it('when its owner dies by SIGKILL (no exit handler runs), the sentinel stops the server and removes it', async () => {
    const owner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const cluster = await PgCluster.create({ ownerPid: owner.pid! });
    const { dataDir, baseDir } = cluster;
    expect(processesIn(dataDir).length).toBeGreaterThan(1);
    owner.kill('SIGKILL');
    const gone = await until(() => processesIn(dataDir).length === 0 && !existsSync(baseDir), 15_000);
    await cluster.destroy();
    expect(gone, 'server processes or the directory outlived the owner').toBe(true);
  }, 60_000);
});

describe('worker processes on a cluster that is restarted and whose backends are killed', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    assertWorkersCanRun();
    cluster = await PgCluster.create();
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
    if (cluster) expect(cluster.processes()).toEqual([]);
  });

  it('pg_ctl restart -m fast mid-run: the workers reconnect, every task is completed exactly once', async () => {
    const result = await runDrain(serverRestart(cluster, 'fast', { restarts: 2 }));
    expectExactlyOnce(result);
    expect(result.notes.filter((note) => note.startsWith('restart -m fast'))).toHaveLength(2);
  }, 180_000);

  it('pg_ctl restart -m immediate (a crash, with recovery) mid-run: the same', async () => {
    const result = await runDrain(serverRestart(cluster, 'immediate'));
    expectExactlyOnce(result);
  }, 180_000);

  it('backends killed with pg_terminate_backend every 250 ms for 4 s: the same', async () => {
    const result = await runDrain(terminateBackends(cluster.url));
    expectExactlyOnce(result);
    const terminated = Number(/^(\d+) backends terminated/.exec(result.notes.join('\n'))?.[1] ?? 0);
    expect(terminated).toBeGreaterThan(0);
  }, 180_000);
});

/**
 * The probe: a process completes a task through completeTasks (a transaction on a checked-out client) while
 * another session holds the task's row lock, so the transaction waits, and its backend is terminated then.
 * The call must fail with a typed error and the process must live to retry and complete the task.
 */
const PROBE = `
import { PostgresTaskPool } from '@omc/store-postgres';
const [url, schema, id, token] = process.argv.slice(1);
const pool = await PostgresTaskPool.open(url, { schema, poolSize: 2 });
const lease = { id, leaseToken: Number(token) };
const tries = [];
for (let i = 0; i < 3 && !tries.some((t) => t.ok); i++) {
  try {
    const [outcome] = await pool.completeTasks([{ lease, result: 'probe' }]);
    tries.push({ ok: outcome.ok });
  } catch (error) {
    tries.push({ code: String(error?.code), message: String(error?.message).slice(0, 300) });
  }
}
console.log(JSON.stringify(tries));
await pool.close();
`;

describe('a backend terminated while the pool holds it inside a transaction', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    assertWorkersCanRun();
    cluster = await PgCluster.create();
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('fails that call with a typed error, and the process lives to retry and complete the task once', async () => {
    const schema = freshSchema();
    const store = await openPostgresStore(cluster.url, schema);
    const lock = { current: undefined as Awaited<ReturnType<typeof heldSession>> | undefined };
    try {
      await store.createTask({ title: 'probe', description: 'completed through a terminated transaction' });
      const task = (await store.claimTask('probe'))!;
      lock.current = await heldSession(
        cluster.url,
        `begin; select id from "${schema}".tasks where id = '${task.id}' for update;`,
        'omc-chaos-row-lock',
      );
      const child = spawn(
        process.execPath,
        ['--input-type=module', '-e', PROBE, cluster.url, schema, task.id, String(task.leaseToken)],
        { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // Wait until the probe's completion is stuck behind the row lock, inside its transaction.
      const waitingSql = `select pid from pg_stat_activity where wait_event_type = 'Lock' and application_name <> 'omc-chaos-row-lock'`;
      let waiting = '';
      for (let i = 0; i < 200 && waiting === ''; i++) {
        waiting = await psql(cluster.url, waitingSql);
        if (waiting === '') await sleep(50);
      }
      expect(waiting, 'the probe never waited on the row lock').not.toBe('');
      await psql(
        cluster.url,
        `select pg_terminate_backend(pid) from pg_stat_activity where pid in (${waiting.split('\n').join(',')})`,
      );
      await lock.current.close();
      lock.current = undefined;
      const code = await Promise.race([exited, sleep(30_000).then(() => 'hung')]);
      if (code === 'hung') child.kill('SIGKILL');
      expect({ code, stderr: stderr.slice(0, 1500) }).toEqual({ code: 0, stderr: '' });
      const tries = JSON.parse(stdout) as { ok?: boolean; code?: string }[];
      expect(tries[0]?.code).toMatch(/^OMC_/);
      expect(tries.at(-1)).toEqual({ ok: true });
      const done = await store.getTask(task.id);
      expect(done).toMatchObject({ status: 'completed', result: 'probe' });
      const history = await store.getTaskHistory(task.id);
      expect(history.filter((t) => t.to === 'completed')).toHaveLength(1);
    } finally {
      await lock.current?.close();
      await store.close();
      await psql(cluster.url, `drop schema if exists ${schema} cascade`).catch(() => {});
    }
  }, 90_000);
});
