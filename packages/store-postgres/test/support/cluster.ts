/**
 * A throwaway PostgreSQL 15 cluster that a test (or the chaos run) owns: its own data directory under the
 * OS temp dir, its own port on 127.0.0.1, trust auth, and nothing left behind. Every step is timed out,
 * and a failed start throws with the tail of the server log.
 *
 * initdb refuses to run as root, so every server binary runs as the `postgres` user (`runuser`) when this
 * process is root. Cleanup happens in `destroy()`, on this process's exit, and, if this process is
 * SIGKILLed, in a detached sentinel process that waits for it to die: no server outlives its owner.
 *
 * ### Examples
 * ```ts
 * const cluster = await PgCluster.create();
 * try {
 *   await psql(cluster.url, 'select 1');
 *   await cluster.restart('immediate');
 * } finally {
 *   await cluster.destroy();
 * }
 * ```
 */
import { execFile, spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where Debian puts the PostgreSQL 15 server binaries. */
export const PG_BIN = process.env.OMC_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** How long one server command (initdb, start, stop) may take before the cluster gives up on it. */
const COMMAND_TIMEOUT_MS = 60_000;

/** How a server is shut down: `fast` rolls back sessions and checkpoints; `immediate` is a crash (recovery on start). */
export type StopMode = 'smart' | 'fast' | 'immediate';

export interface PgClusterOptions {
  /**
   * `fsync` off by default: a crash of the server (not of the machine) loses nothing with it off, and on a
   * shared two-core box every commit would otherwise wait for the disk.
   */
  fsync?: boolean;
  /** Extra `postgresql.conf` lines, e.g. `max_connections = 20`. */
  settings?: Record<string, string | number>;
  /** How long `create` may take to start the server (default 60 s). */
  startTimeoutMs?: number;
  /** @internal The process whose death makes the sentinel remove the cluster (default: this one). */
  ownerPid?: number;
}

/** An error from the cluster harness, with the server log's tail in its message. */
export class PgClusterError extends Error {
  readonly code = 'PG_CLUSTER';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PgClusterError';
  }
}

interface RunResult {
  stdout: string;
  stderr: string;
}

const isRoot = process.getuid?.() === 0;

/** Run a server binary as the postgres user (when root), with a timeout. */
function runPg(binary: string, args: string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<RunResult> {
  const file = isRoot ? 'runuser' : join(PG_BIN, binary);
  const argv = isRoot ? ['-u', 'postgres', '--', join(PG_BIN, binary), ...args] : args;
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: timeoutMs, killSignal: 'SIGKILL', cwd: '/' }, (error, stdout, stderr) => {
      if (error) {
        const why = error.killed ? `timed out after ${timeoutMs} ms` : `failed (${error.code ?? error.signal})`;
        reject(new PgClusterError(`${binary} ${args.join(' ')} ${why}:\n${stdout}${stderr}`, { cause: error }));
      } else resolve({ stdout, stderr });
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Run SQL with psql (no client library needed), returning its unaligned, tuples-only output. Fails on
 * the first SQL error, and after `timeoutMs`.
 */
export function psql(url: string, sql: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      join(PG_BIN, 'psql'),
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
      { timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed ? `timed out after ${timeoutMs} ms` : 'failed';
          reject(
            new PgClusterError(`psql ${why} on ${JSON.stringify(sql.slice(0, 200))}:\n${stderr}`, { cause: error }),
          );
        } else resolve(stdout.trim());
      },
    );
  });
}

/** Every process whose working directory is `dir`: a postmaster chdirs into its data directory, and its backends inherit it. */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/** SIGKILL every process of a data directory, synchronously (usable in an exit handler). */
function killAllIn(dir: string): void {
  for (const pid of processesIn(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The clusters of this process not yet destroyed: killed by the exit handler if the process ends first. */
const live = new Set<PgCluster>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const cluster of live) cluster.destroySync();
  });
}

/**
 * The sentinel: a detached process that waits for its owner to die (even by SIGKILL, which runs no exit
 * handler), then kills every process of the data directory and removes the directory. It ends by itself
 * once the directory is gone (a normal destroy).
 */
const SENTINEL = `
const { readdirSync, readlinkSync, rmSync, existsSync } = require('node:fs');
const [owner, base, data] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const tick = () => {
  if (!existsSync(base)) process.exit(0);
  if (alive(Number(owner))) return setTimeout(tick, 500);
  for (let round = 0; round < 20; round++) {
    let found = 0;
    for (const e of readdirSync('/proc')) {
      if (!/^\\d+$/.test(e)) continue;
      try { if (readlinkSync('/proc/' + e + '/cwd') === data) { found++; process.kill(Number(e), 'SIGKILL'); } } catch {}
    }
    if (!found) break;
  }
  rmSync(base, { recursive: true, force: true });
  process.exit(0);
};
tick();
`;

/** A PostgreSQL cluster created for one test run. Create with {@link PgCluster.create}. */
export class PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  private destroyed = false;

  private constructor(
    /** The temp directory holding the data directory, the socket and the log. */
    readonly baseDir: string,
    readonly dataDir: string,
    readonly logFile: string,
    readonly port: number,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  /** initdb a new cluster in a temp directory and start it on a free port. */
  static async create(options: PgClusterOptions = {}): Promise<PgCluster> {
    const baseDir = mkdtempSync(join(tmpdir(), 'omc-pg-cluster-'));
    const dataDir = join(baseDir, 'data');
    const logFile = join(baseDir, 'server.log');
    if (isRoot) {
      const { uid, gid } = postgresUser();
      chownSync(baseDir, uid, gid);
    }
    const cluster = new PgCluster(baseDir, dataDir, logFile, await freePort());
    live.add(cluster);
    installExitHook();
    const owner = String(options.ownerPid ?? process.pid);
    const sentinel = spawn(process.execPath, ['-e', SENTINEL, owner, baseDir, dataDir], {
      detached: true,
      stdio: 'ignore',
    });
    sentinel.unref();
    try {
      await runPg('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
      const settings: Record<string, string | number> = {
        port: cluster.port,
        listen_addresses: "'127.0.0.1'",
        unix_socket_directories: `'${baseDir}'`,
        fsync: options.fsync ? 'on' : 'off',
        // The chaos runs read what the server did (terminated backends, restarts) from its log.
        log_line_prefix: "'%m [%p] '",
        ...options.settings,
      };
      const conf = Object.entries(settings)
        .map(([key, value]) => `${key} = ${value}`)
        .join('\n');
      writeFileSync(
        join(dataDir, 'postgresql.conf'),
        `${readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')}\n${conf}\n`,
      );
      await cluster.start(options.startTimeoutMs);
      return cluster;
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }

  /** The server's log so far (its last `lines` lines). */
  log(lines = 60): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  }

  /** The postmaster's pid, from postmaster.pid; `undefined` when the server is not running. */
  postmasterPid(): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  /** Whether the server accepts a query now. */
  async isUp(): Promise<boolean> {
    try {
      return (await psql(this.url, 'select 1', 5_000)) === '1';
    } catch {
      return false;
    }
  }

  /**
   * Start the server and wait until it accepts queries. After a kill -9 the old backends may hold the
   * shared memory for a moment, so a refused start is retried until `timeoutMs`.
   */
  async start(timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    this.assertLive();
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const seconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        await runPg(
          'pg_ctl',
          ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', String(seconds), 'start'],
          seconds * 1000 + 5_000,
        );
        if (await this.isUp()) return;
      } catch (error) {
        last = error;
      }
      await sleep(200);
    }
    throw new PgClusterError(
      `PostgreSQL on port ${this.port} did not start within ${timeoutMs} ms: ${String(last)}\n--- server log ---\n${this.log()}`,
      { cause: last },
    );
  }

  /** Stop the server (`fast` by default) and wait until it is down. */
  async stop(mode: StopMode = 'fast'): Promise<void> {
    this.assertLive();
    try {
      await runPg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop'], 35_000);
    } catch (error) {
      throw new PgClusterError(
        `stopping PostgreSQL (-m ${mode}) failed: ${String(error)}\n--- server log ---\n${this.log()}`,
        {
          cause: error,
        },
      );
    }
  }

  /** `pg_ctl restart -m <mode>`: stop, then start again on the same port, and wait until it accepts queries. */
  async restart(mode: StopMode = 'fast'): Promise<void> {
    this.assertLive();
    try {
      await runPg('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-m', mode, '-w', '-t', '60', 'restart'], 65_000);
    } catch (error) {
      throw new PgClusterError(
        `pg_ctl restart -m ${mode} failed: ${String(error)}\n--- server log ---\n${this.log()}`,
        {
          cause: error,
        },
      );
    }
    if (!(await this.isUp())) await this.start();
  }

  /** SIGKILL the postmaster (its backends notice and exit by themselves); `start()` brings it back. */
  kill9(): number {
    this.assertLive();
    const pid = this.postmasterPid();
    if (pid === undefined) throw new PgClusterError(`no postmaster is running for ${this.dataDir}`);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Every process still running in the data directory (the postmaster and its children). */
  processes(): number[] {
    return processesIn(this.dataDir);
  }

  /** Stop the server (immediate), kill anything left of it, and remove the temp directory. Idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    if (this.postmasterPid() !== undefined) {
      await runPg('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop'], 15_000).catch(() => {});
    }
    const deadline = Date.now() + 10_000;
    while (this.processes().length > 0 && Date.now() < deadline) {
      killAllIn(this.dataDir);
      await sleep(50);
    }
    this.destroySync();
  }

  /** @internal The exit handler's cleanup: synchronous, so it works inside `process.on('exit')`. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    live.delete(this);
    for (let round = 0; round < 20 && this.processes().length > 0; round++) killAllIn(this.dataDir);
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  private assertLive(): void {
    if (this.destroyed || !existsSync(this.dataDir)) throw new PgClusterError(`cluster ${this.baseDir} was destroyed`);
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new PgClusterError('no postgres user in /etc/passwd: initdb refuses to run as root without one');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
