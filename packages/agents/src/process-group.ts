import type { ChildProcess } from 'node:child_process';

const POSIX = process.platform !== 'win32';

/**
 * Send `signal` to the child's whole process group (the child was spawned `detached`, so it leads its own
 * group and its descendants join it). Returns false when nothing is left to signal.
 * @internal
 */
export function signalProcessGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  const pid = child.pid;
  if (pid === undefined) return false;
  if (!POSIX) return child.kill(signal); // Windows has no process groups to signal; the child alone.
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Whether any process of the child's group is still there (zombies awaiting a reaper count). @internal */
export function processGroupAlive(child: ChildProcess): boolean {
  const pid = child.pid;
  if (pid === undefined) return false;
  if (!POSIX) return child.exitCode === null && child.signalCode === null;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stop a process group politely, then surely: SIGTERM now, SIGKILL after `graceMs` unless the group is
 * gone by then (checked every few ms). Resolves once the group is gone or the SIGKILL was sent.
 * @internal
 */
export function terminateProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  if (!signalProcessGroup(child, 'SIGTERM')) return Promise.resolve();
  const deadline = Date.now() + graceMs;
  return new Promise((resolve) => {
    // A member that ignores SIGTERM, or an orphan zombie that no init reaps, keeps the group "alive":
    // either way SIGKILL goes out at the deadline, which ends the one and is harmless to the other.
    const check = setInterval(
      () => {
        if (!processGroupAlive(child)) {
          clearInterval(check);
          resolve();
        } else if (Date.now() >= deadline) {
          clearInterval(check);
          signalProcessGroup(child, 'SIGKILL');
          resolve();
        }
      },
      Math.max(1, Math.min(20, graceMs)),
    );
  });
}
