/**
 * `@omc/sql-kit`: core's rules as SQL expressions, built with Kysely once for every SQL adapter of omc.
 * An adapter describes its engine in a {@link SqlDialect} (how a value is bound, how a column is
 * written) and gets each hot-path transition's SET, the reason texts, the lease a claim grants and the
 * claim order as SQL, so no adapter restates a rule or copies another's SQL building.
 *
 * @module
 */
export { inClaimOrder } from './claim-order.js';
export { CLAIM_ORDER_COLUMN, TEXT_FIELD_COLUMN, WRITTEN_FIELD_COLUMN } from './columns.js';
export { decidedWriteValues } from './decided-write-values.js';
export type { SqlDialect, SqlValueType } from './dialect.js';
export { leaseUntil } from './lease-until.js';
export { reasonTextSql, type TextSql } from './reason-text.js';
export { transitionSet } from './transition-set.js';
