import type { ConformanceBackdoor } from '../../store-conformance/src/index.js';
import type { Task, TaskStore } from '../src/index.js';

/**
 * The conformance backdoor of `MemoryTaskStore`: what it holds in its private `tasks` map, read past its
 * API. It reads `tasks.get(id).task` (status, attempts, leaseToken, leaseExpiresAt, assignedAgent, result,
 * error, runAt) and `tasks.get(id).metadataJson`, the metadata as the store serialised it.
 */
export function memoryBackdoor(store: TaskStore): ConformanceBackdoor {
  const { tasks } = store as unknown as { tasks: Map<string, { task: Task; metadataJson: string | undefined }> };
  return {
    readStored(id) {
      const stored = tasks.get(id);
      if (!stored) return null;
      const { task, metadataJson } = stored;
      return {
        status: task.status,
        attempts: task.attempts,
        leaseToken: task.leaseToken,
        leaseExpiresAt: task.leaseExpiresAt ?? null,
        assignedAgent: task.assignedAgent ?? null,
        result: task.result ?? null,
        error: task.error ?? null,
        runAt: task.runAt ?? null,
        metadata: metadataJson === undefined ? null : JSON.parse(metadataJson),
      };
    },
  };
}
