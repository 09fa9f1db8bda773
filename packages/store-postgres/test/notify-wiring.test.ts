/**
 * LISTEN/NOTIFY wired into the pool: the v2 migration's triggers notify the schema's channel when tasks
 * are created or become claimable again (not for claims, starts, heartbeats or completions), and the
 * pool's `onChange` hears another OS process's create through LISTEN, with polling far too slow to be
 * what woke it.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresTaskPool } from '../src/index.js';
import { changeChannel, quoteIdentifier } from '../src/notify-listener.js';
import { assertBuiltPackageIsFresh } from './child-processes.js';
import { freshSchema, PG_URL, requirePostgres } from './helpers.js';

await requirePostgres();

/** Generous: how long a wake-up may take on a loaded machine before the test gives up (never a threshold). */
const WAIT_MS = 20_000;
/** Polling this slow never fires during a test: whatever wakes a subscriber is a notification. */
const NO_POLLING = 3_600_000;

async function waitFor(what: string, check: () => boolean, poke?: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await poke?.();
    await new Promise((resolve) => setTimeout(resolve, poke ? 50 : 5));
  }
}

const admin = new pg.Client({ connectionString: PG_URL });
beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
});

/** A pool subscribed to `onChange`, once its LISTEN is known to hear the channel; its calls counted. */
async function listeningPool(schema: string) {
  const pool = await PostgresTaskPool.open(PG_URL, { schema, changePollMs: NO_POLLING });
  const seen = { calls: 0 };
  pool.onChange(() => {
    seen.calls++;
  });
  const channel = changeChannel(schema);
  await waitFor(
    'the pool to LISTEN',
    () => seen.calls > 0,
    () => admin.query('select pg_notify($1, $2)', [channel, 'are you listening']),
  );
  // Let the pokes already sent land before counting from zero.
  await new Promise((resolve) => setTimeout(resolve, 100));
  seen.calls = 0;
  return { pool, seen };
}

describe('LISTEN/NOTIFY in the pool', () => {
  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  it('wakes a subscriber of onChange when another OS process creates a task', async () => {
    const schema = freshSchema();
    const { pool, seen } = await listeningPool(schema);
    try {
      const child = fork(join(import.meta.dirname, 'fixtures', 'create-task.mjs'), [PG_URL, schema, 'from afar'], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      const code = await new Promise((resolve) => child.once('close', resolve));
      expect(code).toBe(0);
      await waitFor('the call for the other process’s create', () => seen.calls >= 1);
      expect((await pool.claimTask('here'))?.title).toBe('from afar');
    } finally {
      await pool.close();
    }
  });

  it('notifies for creates and for tasks made claimable again, not for claims, starts, heartbeats, completions', async () => {
    const schema = freshSchema();
    const pool = await PostgresTaskPool.open(PG_URL, { schema, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    const channel = changeChannel(schema);
    const listener = new pg.Client({ connectionString: PG_URL });
    const heard: string[] = [];
    listener.on('notification', (message) => heard.push(message.payload ?? ''));
    await listener.connect();
    try {
      await listener.query(`LISTEN ${quoteIdentifier(channel)}`);
      // Notifications arrive in commit order: a marker sent after some writes comes after theirs.
      const marker = async (label: string) => {
        await admin.query('select pg_notify($1, $2)', [channel, label]);
        await waitFor(`marker ${label}`, () => heard.includes(label));
      };
      await pool.createTasks([
        { title: 'a', description: 'd' },
        { title: 'b', description: 'd', maxAttempts: 3 },
      ]);
      await marker('created');
      const [a, b] = await pool.claimTasks('agent', 2);
      if (!a || !b) throw new Error('expected two claimed tasks');
      await pool.startTasks([a, b]);
      await pool.heartbeat(a);
      await pool.completeTasks([{ lease: a, result: 'done' }]);
      await marker('held and completed');
      await pool.failTask(b, 'try again'); // retried: PENDING again (after its backoff)
      await marker('retried');
      expect(heard).toEqual(['', 'created', 'held and completed', '', 'retried']);
    } finally {
      await listener.end();
      await pool.close();
    }
  });

  it('with listenUrl: false, polls only and says so', async () => {
    const schema = freshSchema();
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? warning.name);
    process.on('warning', onWarning);
    const pool = await PostgresTaskPool.open(PG_URL, { schema, listenUrl: false, changePollMs: 10 });
    try {
      const stop = pool.onChange(() => {});
      await waitFor('the warning', () => warnings.includes('OMC_NOTIFY_DISABLED'));
      stop();
    } finally {
      process.off('warning', onWarning);
      await pool.close();
    }
  });
});
