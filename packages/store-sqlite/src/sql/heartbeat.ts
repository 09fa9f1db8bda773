import { sql } from 'kysely';
import { builder, compile } from '../query-builder.js';
import { leaseUntil, whereLeaseHolds } from './fragments.js';

/** Fenced heartbeat: the lease runs a full length from now, never past the attempt's deadline. @internal */
export const heartbeatHeld = compile(
  builder
    .updateTable('tasks')
    .set({
      lease_expires_at: leaseUntil(sql`started_at + timeout_ms`),
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .$call(whereLeaseHolds)
    .returning('lease_expires_at'),
);
