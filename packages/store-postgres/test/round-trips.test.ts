/**
 * What a worker's hot path costs in round trips to the server: a claim (with its upkeep check) is one
 * statement, and a group of starts or completions is one statement however many tasks it holds, with
 * no transaction around it. Counted on a pg.Pool of the test's own.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresTaskPool } from '../src/index.js';
import { freshSchema, PG_URL, requirePostgres } from './helpers.js';

await requirePostgres();

const counted = new pg.Pool({ connectionString: PG_URL, max: 4 });
/** Statements sent by any client of the pool (BEGIN and COMMIT included). */
let statements = 0;
counted.on('connect', (client) => {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  Object.assign(client, {
    query: (...args: unknown[]) => {
      statements++;
      return query(...args);
    },
  });
});

afterAll(() => counted.end());

async function roundTrips(work: () => Promise<unknown>): Promise<number> {
  statements = 0;
  await work();
  return statements;
}

describe('PostgresTaskPool round trips', () => {
  it('claims in one statement, and starts and completes a group of tasks in one statement each', async () => {
    const pool = await PostgresTaskPool.open(undefined, { pool: counted, schema: freshSchema() });
    try {
      await pool.createTasks(Array.from({ length: 40 }, (_, i) => ({ title: `t${i}`, description: 'd' })));
      let claimed: Awaited<ReturnType<typeof pool.claimTasks>> = [];
      expect(await roundTrips(async () => (claimed = await pool.claimTasks('a', 30)))).toBe(1);
      expect(claimed).toHaveLength(30);
      const single = await pool.claimTask('b');
      expect(single).not.toBeNull();
      expect(await roundTrips(() => pool.startTasks(claimed))).toBe(1);
      let outcomes: Awaited<ReturnType<typeof pool.completeTasks>> = [];
      expect(
        await roundTrips(
          async () => (outcomes = await pool.completeTasks(claimed.map((lease, i) => ({ lease, result: `r${i}` })))),
        ),
      ).toBe(1);
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect((await pool.getTask(claimed[7]?.id ?? ''))?.result).toBe('r7');
      expect((await pool.getStats()).completed).toBe(30);
    } finally {
      await pool.close();
    }
  });

  it('completes a group whose tasks have dependants and releases them, refusing a stale lease', async () => {
    const pool = await PostgresTaskPool.open(undefined, { pool: counted, schema: freshSchema() });
    try {
      const [a, b] = await pool.createTasks([
        { title: 'a', description: 'd' },
        { title: 'b', description: 'd' },
      ]);
      const both = await pool.createTask({
        title: 'after both',
        description: 'd',
        dependsOn: [a?.id ?? '', b?.id ?? ''],
      });
      const claimed = await pool.claimTasks('a', 5);
      expect(claimed.map((task) => task.id).sort()).toEqual([a?.id, b?.id].sort());
      const stale = { id: claimed[0]?.id ?? '', leaseToken: (claimed[0]?.leaseToken ?? 0) + 1 };
      const outcomes = await pool.completeTasks([
        ...claimed.map((lease) => ({ lease, result: 'ok' })),
        { lease: { id: 'missing', leaseToken: 1 }, result: 'x' },
      ]);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, false]);
      expect((await pool.completeTasks([{ lease: stale }]))[0]?.ok).toBe(false);
      expect((await pool.claimTask('a'))?.id).toBe(both.id);
    } finally {
      await pool.close();
    }
  });
});
