import type { VersionedWrite } from '@omc/core/driver';

/**
 * The named values of a decided write (`writeIfVersion`) as every SQL adapter binds them: the row to
 * compare (`seq`, `id`, `version`), and each column stored from the task core planned (NULL for a field
 * the task does not have, the metadata as its stored JSON text), plus the adapter's own `recount` and
 * `historyLine` values. One object literal, so the hot path builds it in one step.
 *
 * ### Examples
 * ```ts
 * const values = decidedWriteValues(write, write.recount ? 1 : 0, encodeHistory(write.transition));
 * ```
 */
export function decidedWriteValues(
  write: VersionedWrite,
  recount: unknown,
  historyLine: unknown,
): Record<string, unknown> {
  const { before, next, metadataJson } = write;
  return {
    seq: before.seq,
    id: next.id,
    status: next.status,
    assigned_agent: next.assignedAgent ?? null,
    updated_at: next.updatedAt,
    started_at: next.startedAt ?? null,
    completed_at: next.completedAt ?? null,
    result: next.result ?? null,
    error: next.error ?? null,
    metadata: metadataJson ?? null,
    attempts: next.attempts,
    run_at: next.runAt ?? null,
    lease_token: next.leaseToken,
    lease_expires_at: next.leaseExpiresAt ?? null,
    historyLine,
    recount,
    version: before.version,
  };
}
