import { CLAIM_ORDER } from '@omc/core';
import { CLAIM_ORDER_COLUMN } from './columns.js';

type ClaimOrderColumn = (typeof CLAIM_ORDER_COLUMN)[keyof typeof CLAIM_ORDER_COLUMN];

/**
 * Core's CLAIM_ORDER (priority DESC, then oldest, then first inserted) applied to a query as ORDER BY:
 * every SQL adapter's claim and listing order, and its claim index's column order.
 *
 * ### Examples
 * ```ts
 * const next = inClaimOrder(db.selectFrom('tasks').select('id')).limit(1);
 * ```
 */
export function inClaimOrder<Q extends { orderBy(column: ClaimOrderColumn, direction: 'asc' | 'desc'): Q }>(
  query: Q,
): Q {
  return CLAIM_ORDER.reduce(
    (ordered, { key, descending }) => ordered.orderBy(CLAIM_ORDER_COLUMN[key], descending ? 'desc' : 'asc'),
    query,
  );
}
