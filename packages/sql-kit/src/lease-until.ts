import { type RawBuilder, sql } from 'kysely';
import type { SqlDialect } from './dialect.js';

/**
 * The lease a claim or heartbeat at `now` grants, as SQL over the row: the task's lease length (or the
 * store's `leaseMs`), never past `deadline`, the end of the attempt's timeout (NULL without one). Core's
 * `leaseExpiry`, for a one-statement write; `now` and `leaseMs` are bound by name.
 *
 * ### Examples
 * ```ts
 * const expiry = leaseUntil(dialect, sql`started_at + timeout_ms`);
 * ```
 */
export function leaseUntil(dialect: SqlDialect, deadline: RawBuilder<unknown>): RawBuilder<number> {
  const renewed = sql`${dialect.param('now', 'bigint')} + coalesce(lease_ms, ${dialect.param('leaseMs', 'bigint')})`;
  return sql<number>`case when timeout_ms is not null and ${deadline} < ${renewed} then ${deadline} else ${renewed} end`;
}
