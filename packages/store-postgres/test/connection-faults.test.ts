/**
 * A backend killed while the pool holds it between two statements of a transaction: the call fails
 * with a typed error, the process does not crash (pg emits 'error' on a checked-out client, which
 * nobody else listens to), and the pool carries on with a new connection.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { PostgresTaskPool } from '../src/index.js';
import { adminQuery, freshSchema, PG_URL, requirePostgres } from './helpers.js';

await requirePostgres();

it('a backend killed inside a transaction fails that call, typed, and the pool carries on', async () => {
  const given = new pg.Pool({ connectionString: PG_URL, max: 2 });
  let armed = false;
  given.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
      const result = await query(...args);
      if (armed && args[0] === 'begin') {
        armed = false;
        // Killed while idle in the transaction: the client hears it before its next statement.
        const ended = new Promise((resolve) => client.once('end', resolve));
        await adminQuery('select pg_terminate_backend($1)', [(client as unknown as { processID: number }).processID]);
        await ended;
      }
      return result;
    };
  });
  const pool = await PostgresTaskPool.open(undefined, { pool: given, schema: freshSchema() });
  const task = await pool.createTask({ title: 'survives', description: 'd' });
  armed = true;
  // deleteTask runs in a transaction: begin, then the delete on a connection that is gone.
  await expect(pool.deleteTask(task.id)).rejects.toMatchObject({ code: 'OMC_STORAGE', taskId: task.id });
  expect(armed).toBe(false);
  expect((await pool.getTask(task.id))?.id).toBe(task.id);
  expect(await pool.deleteTask(task.id)).toBe(true);
  await pool.close();
  await given.end();
});
