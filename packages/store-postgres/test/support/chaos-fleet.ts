/**
 * A fleet of worker processes (chaos/worker.mjs), each with its own PostgresTaskPool and so its own
 * connection pool, as workers on separate hosts would have. The fleet starts them, SIGKILLs and replaces
 * them, stops them, and reads back what each one logged. Every process it forked is killed by `destroy()`
 * (and on this process's exit), so a failed test leaves none behind.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/store-postgres */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKER = join(PACKAGE_DIR, 'chaos', 'worker.mjs');

/** What a worker is told (see chaos/worker.mjs). */
export interface WorkerOptions {
  url: string;
  schema: string;
  poolSize: number;
  /** 1: claimTask + completeTask; more: claimTasks(limit) + one completeTasks group. */
  batch: number;
  /** Claim loops in the one process, sharing its pool. */
  concurrency: number;
  workMs: number;
  idleMs: number;
  /** Exit non-zero when no store operation succeeded for this long. */
  stuckMs: number;
  /** Exit non-zero when one operation takes longer than this. */
  opTimeoutMs: number;
  backoff?: { baseMs: number; maxMs: number };
  /** The worker program (default chaos/worker.mjs): another one for a dry run of the harness itself. */
  script?: string;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'url' | 'schema'> = {
  poolSize: 4,
  batch: 1,
  concurrency: 1,
  workMs: 2,
  idleMs: 20,
  stuckMs: 30_000,
  opTimeoutMs: 30_000,
};

/** One worker process, from fork to exit. */
export interface FleetWorker {
  agent: string;
  log: string;
  process: ChildProcess;
  /** Set when the fleet SIGKILLed it. */
  killed: boolean;
  /** Its pool is open (it said so). */
  isReady: boolean;
  ready: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string;
}

export class ChaosFleet {
  readonly dir = mkdtempSync(join(tmpdir(), 'omc-pg-chaos-'));
  /** Every worker ever started, in order. */
  readonly workers: FleetWorker[] = [];
  private readonly onExit = () => this.killAll();

  constructor(private readonly options: WorkerOptions) {
    process.once('exit', this.onExit);
  }

  /** Fork one worker; `name` defaults to w<n>. */
  start(name = `w${this.workers.length}`, overrides: Partial<WorkerOptions> = {}): FleetWorker {
    const log = join(this.dir, `${name}.log`);
    const options = { ...this.options, ...overrides, agent: name, log };
    const child = fork(options.script ?? WORKER, [JSON.stringify(options)], {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const worker: FleetWorker = {
      agent: name,
      log,
      process: child,
      killed: false,
      isReady: false,
      stderr: '',
      ready: new Promise((resolve, reject) => {
        child.once('message', () => {
          worker.isReady = true;
          resolve();
        });
        child.once('exit', (code, signal) =>
          reject(new Error(`worker ${name} exited (${code ?? signal}) before it was ready:\n${worker.stderr}`)),
        );
      }),
      exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    };
    worker.ready.catch(() => {});
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      worker.stderr += chunk;
    });
    this.workers.push(worker);
    return worker;
  }

  /** Fork `count` workers and wait until each has its pool open. */
  async startMany(
    count: number,
    overrides: (i: number) => Partial<WorkerOptions> = () => ({}),
  ): Promise<FleetWorker[]> {
    const started = Array.from({ length: count }, (_, i) => this.start(undefined, overrides(i)));
    await Promise.all(started.map((worker) => worker.ready));
    return started;
  }

  /** The workers not killed nor exited. */
  running(): FleetWorker[] {
    return this.workers.filter((w) => !w.killed && w.process.exitCode === null && w.process.signalCode === null);
  }

  /** SIGKILL one worker (a host that dies mid-task) and wait until it is gone. */
  async kill(worker: FleetWorker): Promise<void> {
    worker.killed = true;
    worker.process.kill('SIGKILL');
    await worker.exit;
  }

  /** Tell every running worker to finish the tasks in hand and exit; wait up to `timeoutMs`, then SIGKILL. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const running = this.running();
    for (const worker of running) worker.process.send({ stop: true });
    const timer = setTimeout(() => {
      for (const worker of running) worker.process.kill('SIGKILL');
    }, timeoutMs);
    await Promise.all(running.map((worker) => worker.exit));
    clearTimeout(timer);
  }

  /**
   * Workers that ended on their own with a non-zero code (stuck, hung, or crashed), each in one line: its
   * exit code and the error it died of (the stderr's first error line).
   */
  failures(): string[] {
    return this.workers
      .filter((w) => !w.killed && w.process.exitCode !== null && w.process.exitCode !== 0)
      .map((w) => {
        const lines = w.stderr.split('\n').map((line) => line.trim());
        const error = lines.find((line) => /^(\w*Error|error)\b.*:/.test(line)) ?? lines.find((line) => line !== '');
        const unhandled = w.stderr.includes("Unhandled 'error' event") ? " (an unhandled 'error' event)" : '';
        return `${w.agent} exited ${w.process.exitCode}${unhandled}: ${error ?? '(no stderr)'}`;
      });
  }

  /** Each worker's log lines, split into words. */
  logs(): Map<FleetWorker, string[][]> {
    const logs = new Map<FleetWorker, string[][]>();
    for (const worker of this.workers) {
      let text = '';
      try {
        text = readFileSync(worker.log, 'utf8');
      } catch {
        // Killed before its first line.
      }
      logs.set(
        worker,
        text
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => line.split(' ')),
      );
    }
    return logs;
  }

  /** The last line a worker logged, split into words. */
  lastLine(worker: FleetWorker): string[] | undefined {
    try {
      const lines = readFileSync(worker.log, 'utf8').trimEnd().split('\n');
      return lines.at(-1)?.split(' ');
    } catch {
      return undefined;
    }
  }

  killAll(): void {
    for (const worker of this.workers) {
      if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
    }
  }

  /** Kill what still runs, wait for it, and remove the logs. */
  async destroy(): Promise<void> {
    process.off('exit', this.onExit);
    this.killAll();
    await Promise.all(this.workers.map((worker) => worker.exit));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
