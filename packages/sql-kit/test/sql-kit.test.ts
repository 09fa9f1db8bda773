import {
  CLAIM_WRITES,
  COMPLETE_WRITES,
  DEPENDENCY_REASON,
  EXPIRY_REASON,
  TaskStatus,
  type TransitionWrites,
} from '@omc/core';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  decidedWriteValues,
  inClaimOrder,
  leaseUntil,
  reasonTextSql,
  type SqlDialect,
  transitionSet,
} from '../src/index.js';

// Two compile-only builders, one per engine, and a dialect each that marks where a value is bound, so the
// compiled SQL shows what the kit built and where each named value lands.
// biome-ignore lint/suspicious/noExplicitAny: the kit is table-agnostic; these tests compile SQL only
type AnyDb = any;
const sqlite = new Kysely<AnyDb>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
const postgres = new Kysely<AnyDb>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const sqliteDialect: SqlDialect = {
  param: (name) => sql.raw(`:${name}`),
  column: (name) => sql.raw(name),
  text: (name) => sql.raw(name),
};
const postgresDialect: SqlDialect = {
  param: (name, type) => sql.raw(`$${name}::${type}`),
  column: (name) => sql.ref(name),
  text: (name) => sql`${sql.ref(name)}::text`,
};

function update(db: Kysely<AnyDb>, writes: TransitionWrites, dialect: SqlDialect): string {
  return db.updateTable('tasks').set(transitionSet(dialect, writes)).compile().sql;
}

describe('transitionSet', () => {
  it('writes every field core lists, in its order, each as the data says', () => {
    const text = update(sqlite, CLAIM_WRITES, sqliteDialect);
    expect(text).toBe(
      'update "tasks" set "status" = \'claimed\', "assigned_agent" = :agent, "updated_at" = :now, "started_at" = :now, ' +
        '"completed_at" = ?, "result" = ?, "run_at" = ?, "attempts" = attempts + 1, "lease_token" = lease_token + 1, ' +
        '"lease_expires_at" = case when timeout_ms is not null and :now + timeout_ms < :now + coalesce(lease_ms, :leaseMs) ' +
        'then :now + timeout_ms else :now + coalesce(lease_ms, :leaseMs) end',
    );
  });

  it('follows the data, not a copy of it: a changed rule changes the statement', () => {
    const writes: TransitionWrites = { ...COMPLETE_WRITES, status: { kind: 'value', value: TaskStatus.FAILED } };
    expect(update(sqlite, writes, sqliteDialect)).toContain(`"status" = 'failed'`);
    expect(update(sqlite, COMPLETE_WRITES, sqliteDialect)).toContain(`"status" = 'completed'`);
  });

  it('casts what PostgreSQL cannot infer and quotes the columns it reads', () => {
    const text = update(postgres, CLAIM_WRITES, postgresDialect);
    expect(text).toContain('"updated_at" = $now::bigint');
    expect(text).toContain('"assigned_agent" = $agent::text');
    expect(text).toContain('"attempts" = "attempts" + 1');
  });
});

describe('leaseUntil', () => {
  it('is the lease length from now, never past the deadline', () => {
    const text = sqlite
      .selectFrom('tasks')
      .select(leaseUntil(sqliteDialect, sql`started_at + timeout_ms`).as('expiry'))
      .compile().sql;
    expect(text).toBe(
      'select case when timeout_ms is not null and started_at + timeout_ms < :now + coalesce(lease_ms, :leaseMs) ' +
        'then started_at + timeout_ms else :now + coalesce(lease_ms, :leaseMs) end as "expiry" from "tasks"',
    );
  });
});

describe('reasonTextSql', () => {
  it("joins core's words and the row's columns, and picks a branch by its condition", () => {
    const reason = reasonTextSql(sqliteDialect, EXPIRY_REASON, { conditions: { timedOut: sql<boolean>`timed_out` } });
    const text = sqlite.selectFrom('tasks').select(reason.as('reason')).compile().sql;
    expect(text).toContain("'attempt ' || attempts || ' of ' || max_attempts");
    expect(text).toContain("coalesce(assigned_agent, 'an unknown agent')");
    expect(text).toContain("case when timed_out then ('timed out after ' || timeout_ms || ' ms') else");
  });

  it('casts columns to text where the engine needs it', () => {
    const reason = reasonTextSql(postgresDialect, EXPIRY_REASON, { conditions: { timedOut: sql<boolean>`true` } });
    expect(postgres.selectFrom('tasks').select(reason.as('r')).compile().sql).toContain('"attempts"::text');
  });

  it('refuses a text whose slot has no SQL, naming the slot', () => {
    expect(() => reasonTextSql(sqliteDialect, DEPENDENCY_REASON, {})).toThrow('no SQL given for "dependency"');
  });
});

describe('inClaimOrder', () => {
  it("orders by core's CLAIM_ORDER", () => {
    const text = inClaimOrder(sqlite.selectFrom('tasks').select('id')).compile().sql;
    expect(text).toBe('select "id" from "tasks" order by "priority" desc, "created_at" asc, "seq" asc');
  });
});

describe('decidedWriteValues', () => {
  it("binds the planned task's fields by column, NULL for what it lacks, and the row to compare", () => {
    const next = {
      id: 't1',
      status: TaskStatus.IN_PROGRESS,
      updatedAt: 20,
      startedAt: 15,
      attempts: 1,
      leaseToken: 3,
      assignedAgent: 'agent-1',
    } as Parameters<typeof decidedWriteValues>[0]['next'];
    const before = { seq: 7, version: 4 } as Parameters<typeof decidedWriteValues>[0]['before'];
    const values = decidedWriteValues({ before, next, metadataJson: '{"a":1}' } as never, 0, 'line');
    expect(values).toEqual({
      seq: 7,
      id: 't1',
      status: 'in_progress',
      assigned_agent: 'agent-1',
      updated_at: 20,
      started_at: 15,
      completed_at: null,
      result: null,
      error: null,
      metadata: '{"a":1}',
      attempts: 1,
      run_at: null,
      lease_token: 3,
      lease_expires_at: null,
      historyLine: 'line',
      recount: 0,
      version: 4,
    });
  });
});
