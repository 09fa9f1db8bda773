import { HEARTBEAT_WRITES } from '@omc/core';
import { transitionSet } from '@omc/sql-kit';
import { sql } from 'kysely';
import { builder, compile } from '../query-builder.js';
import { sqliteDialect } from './dialect.js';
import { whereLeaseHolds } from './fragments.js';

/** Fenced heartbeat (core's HEARTBEAT_WRITES): a full lease from now, never past the attempt's deadline. @internal */
export const heartbeatHeld = compile(
  builder
    .updateTable('tasks')
    .set({
      ...transitionSet(sqliteDialect, HEARTBEAT_WRITES),
      version: sql<number>`${sql.ref('version')} + 1`,
    })
    .$call(whereLeaseHolds)
    .returning('lease_expires_at'),
);
