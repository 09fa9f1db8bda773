import { execFileSync } from 'node:child_process';
import type { ChildResult } from './child-processes.js';
import { type Child, forkFixture } from './child-processes.js';

/** What a fault-writer.mjs child reports about a refused call. */
export interface ReportedError {
  name: string;
  code: string;
  problem?: string;
  findings?: string[];
  message: string;
}

/** A fault-writer.mjs answer: the ids the pool acknowledged, and the first refusal (null if none). */
export interface WriterReport {
  created: string[];
  error: ReportedError | null;
}

/** A pool in another OS process (test/fixtures/fault-writer.mjs), driven one command at a time. */
export interface PoolProcess {
  child: Child;
  create(count: number, prefix: string): Promise<WriterReport>;
  createFor(ms: number, prefix: string): Promise<WriterReport>;
  claim(): Promise<{ task: { id: string } | null; error: ReportedError | null }>;
  /** SIGKILL, as a crash would: no close, no checkpoint, no clean-up. */
  kill(): Promise<ChildResult>;
}

/** Start a fault-writer.mjs child on `path` and wait until its pool is open. */
export async function startPoolProcess(path: string, busyTimeoutMs?: number): Promise<PoolProcess> {
  const child = forkFixture('fault-writer.mjs', busyTimeoutMs === undefined ? [path] : [path, String(busyTimeoutMs)]);
  await child.nextMessage();
  const ask = <T>(command: object) => {
    const answer = child.nextMessage() as Promise<T>;
    child.process.send(command);
    return answer;
  };
  return {
    child,
    create: (count, prefix) => ask({ op: 'create', count, prefix }),
    createFor: (ms, prefix) => ask({ op: 'createFor', ms, prefix }),
    claim: () => ask({ op: 'claim' }),
    kill: () => {
      child.process.kill('SIGKILL');
      return child.result;
    },
  };
}

/** A process holding `BEGIN IMMEDIATE` on `path` (test/fixtures/lock-holder.mjs) until released. */
export async function holdWriteLock(path: string): Promise<{ release(): Promise<ChildResult> }> {
  const child = forkFixture('lock-holder.mjs', [path]);
  await child.nextMessage();
  return {
    release: async () => {
      const released = child.nextMessage();
      child.process.send({ op: 'release' });
      await released;
      return child.result;
    },
  };
}

/**
 * Mount a tmpfs of `size` (e.g. '2m') on `dir`: a real file system that fills up. False where mounting
 * is not permitted (not root, or no CAP_SYS_ADMIN, as on most CI runners): the caller skips.
 */
export function mountSmallFileSystem(dir: string, size: string): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Unmount what mountSmallFileSystem mounted (lazily if something still holds a file open). */
export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  }
}
