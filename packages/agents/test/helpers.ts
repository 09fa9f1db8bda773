import { existsSync, readFileSync } from 'node:fs';
import { type AgentContext, newTaskId, type Task, TaskPriority, TaskStatus } from '@omc/core';

/** A claimed task as the swarm would hand it to an agent. */
export function makeTask(fields: Partial<Task> = {}): Task {
  const now = Date.UTC(2026, 0, 1);
  return {
    id: newTaskId(),
    title: 'Build the login page',
    description: 'A form with email and password.',
    status: TaskStatus.IN_PROGRESS,
    priority: TaskPriority.MEDIUM,
    assignedAgent: 'agent-1',
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    attempts: 1,
    maxAttempts: 3,
    leaseToken: 1,
    ...fields,
  };
}

/** The context the swarm would pass, with a log that records what it got. */
export function makeContext(fields: Partial<AgentContext> = {}): AgentContext & { logged: string[] } {
  const logged: string[] = [];
  return {
    signal: new AbortController().signal,
    heartbeat: async () => {},
    log: { info: (m) => logged.push(`info: ${m}`), warn: (m) => logged.push(`warn: ${m}`) },
    dependencies: [],
    attempt: 1,
    workerName: 'agent-1',
    ...fields,
    logged,
  };
}

/**
 * Whether a process is gone: no such pid, or a zombie (dead, waiting for a reaper; an init that does not
 * reap orphans leaves those around, and they hold no resources).
 */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    // Without /proc (not Linux) a live pid cannot be told from a zombie: call it alive.
    return existsSync('/proc/self');
  }
}
