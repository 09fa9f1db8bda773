import pg from 'pg';
import { it } from 'vitest';
import { PostgresTaskPool } from '../src/index.js';
import { notifyTriggerSql } from '../src/notify-listener.js';
import { freshSchema, PG_URL } from './helpers.js';

async function run(withTrigger: boolean, n: number): Promise<number> {
  const schema = freshSchema();
  const pool = await PostgresTaskPool.open(PG_URL, { schema });
  if (withTrigger) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    for (const s of notifyTriggerSql(schema, { watch: ['status', 'waiting_on', 'run_at'], key: 'seq' }))
      await admin.query(s);
    await admin.end();
  }
  for (let i = 0; i < n; i++) await pool.createTask({ title: 't', description: 'd' });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const task = await pool.claimTask('a');
    await pool.startTask(task as never);
    await pool.completeTask(task as never, 'ok');
  }
  const ms = performance.now() - t0;
  await pool.close();
  return ms;
}

it('scratch: trigger cost', async () => {
  const n = 1000;
  const out: string[] = [];
  for (let round = 0; round < 3; round++) {
    const a = await run(false, n);
    const b = await run(true, n);
    out.push(`round ${round}: without ${a.toFixed(0)} ms, with ${b.toFixed(0)} ms, ratio ${(b / a).toFixed(2)}`);
  }
  console.log(out.join('\n'));
}, 300_000);
