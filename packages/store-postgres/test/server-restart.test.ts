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
import { runDrain, serverRestart, terminateBackends } from './support/chaos-scenarios.js';
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
