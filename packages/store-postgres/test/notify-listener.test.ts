/**
 * The change signal's LISTEN side against a real PostgreSQL (`OMC_PG_URL`, else the local test
 * database): another connection's or another process's notification wakes a listener; a killed
 * listening backend is replaced and the listeners catch up; an unreachable listen URL falls back to
 * polling and says so once; the trigger SQL notifies only for statements that wrote; `close()` leaves
 * nothing behind (a process running a listener exits by itself). Each test uses a fresh random channel
 * or schema. No assertion measures time: each waits for an outcome, with a generous bound.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PollingChangeSignal } from '../src/change-signal.js';
import {
  changeChannel,
  NotifyListener,
  type NotifyListenerOptions,
  type NotifyWarning,
  notifyTriggerSql,
  quoteIdentifier,
} from '../src/notify-listener.js';
import { PgCluster } from './support/cluster.js';

const PG_URL = process.env.OMC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Nothing listens on port 1: connecting is refused at once. */
const UNREACHABLE_URL = 'postgres://postgres@127.0.0.1:1/test';
const WAIT_MS = 15_000;
/** Each test waits for a few outcomes, each bounded by `WAIT_MS`. */
const TEST_TIMEOUT = { timeout: 60_000 };
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
const listeners: NotifyListener[] = [];
const schemas: string[] = [];

beforeAll(async () => {
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${PG_URL} (${(error as Error).message}): these tests need it. ` +
        'Start it, or set OMC_PG_URL to a server this user may create schemas on.',
    );
  }
});

afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await admin.end();
});

function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Resolves once `check` holds, checking every few ms; rejects after `WAIT_MS` naming `what`. */
async function waitFor(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The private state these tests read, to see what holds a connection or a timer. */
interface Internals {
  options: NotifyListenerOptions;
  client: pg.Client | undefined;
  failedAttempts: number;
  ending: Set<Promise<void>>;
  pollTimer: unknown;
  retryTimer: unknown;
  pingTimer: unknown;
}

function internals(listener: NotifyListener): Internals {
  return listener as unknown as Internals;
}

/** A started listener on a fresh channel, counting its calls and collecting its warnings. */
function startListener(options: Partial<NotifyListenerOptions> = {}) {
  const state = { calls: 0, warnings: [] as NotifyWarning[] };
  const listener = new NotifyListener({
    connection: PG_URL,
    channel: changeChannel(randomName('notify_test')),
    pollMs: 10,
    // A poll that never sees a change: every call comes from a notification or a catch-up.
    poll: async () => 0,
    reconnectMinMs: 10,
    reconnectMaxMs: 200,
    onWarning: (warning) => state.warnings.push(warning),
    ...options,
    onChange: () => {
      state.calls++;
    },
  });
  listeners.push(listener);
  listener.start();
  return { listener, state, channel: internals(listener).options.channel };
}

/**
 * A listener that is listening. Its poll never moves, so its first LISTEN makes no catch-up call: every
 * call counted from here is a change.
 */
async function listeningListener(options: Partial<NotifyListenerOptions> = {}) {
  const started = startListener(options);
  await waitFor('the listener to LISTEN', () => started.listener.listening);
  return started;
}

/** Run `node` on an ES module's source (with `pg` importable), resolving with its exit code and output. */
function runNode(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: PACKAGE_DIR });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The URL that imports `pg` from this package's dependencies, for a script written elsewhere. */
const PG_MODULE_URL = pathToFileURL(createRequire(join(PACKAGE_DIR, 'package.json')).resolve('pg')).href;

describe('notifications', TEST_TIMEOUT, () => {
  it('wake a listener when another connection notifies its channel', async () => {
    const { state, channel } = await listeningListener();
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await waitFor('the call after the notification', () => state.calls >= 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.calls).toBe(1);
    expect(state.warnings).toEqual([]);
  });

  it('wake a listener when another OS process notifies its channel', async () => {
    const { state, channel } = await listeningListener();
    const result = await runNode(`
      import pg from ${JSON.stringify(PG_MODULE_URL)};
      const client = new pg.Client({ connectionString: ${JSON.stringify(PG_URL)} });
      await client.connect();
      await client.query('SELECT pg_notify($1, $2)', [${JSON.stringify(channel)}, '']);
      await client.end();
    `);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    await waitFor('the call after the other process notified', () => state.calls === 1);
  });

  it('make one call for a burst', async () => {
    const { listener, state, channel } = await listeningListener();
    // Delivered in one synchronous run, as notifications parsed from one read of the socket are.
    const client = internals(listener).client as pg.Client;
    for (let i = 0; i < 20; i++) client.emit('notification', { channel, payload: '', processId: 1 });
    await waitFor('the call for the burst', () => state.calls === 1);
    // A marker sent after the burst comes after the burst's call: if the burst had made two calls, the
    // count would pass 2 here.
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await waitFor('the call for the marker', () => state.calls >= 2);
    expect(state.calls).toBe(2);
  });

  it('after the first LISTEN catch up only if the poll moved since start()', async () => {
    let counter = 0;
    const moved = startListener({ poll: async () => counter });
    // A write between subscribing and LISTEN: nobody heard its notification.
    counter++;
    await waitFor('the catch-up call for the write before LISTEN', () => moved.state.calls === 1);
    expect(moved.listener.listening).toBe(true);
    const still = await listeningListener();
    await admin.query('SELECT pg_notify($1, $2)', [still.channel, '']);
    await waitFor('the call for a notification', () => still.state.calls >= 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(still.state.calls).toBe(1);
  });

  it('on another channel, or carrying another listener’s probe, make no call', async () => {
    const { state, channel } = await listeningListener();
    await admin.query('SELECT pg_notify($1, $2)', [changeChannel(randomName('other')), '']);
    await admin.query('SELECT pg_notify($1, $2)', [channel, 'omc-probe:someone-else']);
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await waitFor('the call for the last notification', () => state.calls >= 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.calls).toBe(1);
  });
});

describe('a killed listening backend', TEST_TIMEOUT, () => {
  it('is replaced: the listener reconnects, catches up once, and hears later notifications', async () => {
    const { listener, state, channel } = await listeningListener();
    const firstPid = listener.backendPid;
    expect(firstPid).toBeTypeOf('number');
    const { rows } = await admin.query<{ killed: boolean }>('SELECT pg_terminate_backend($1) AS killed', [firstPid]);
    expect(rows[0]?.killed).toBe(true);
    await waitFor('the catch-up call after reconnecting', () => state.calls === 1);
    expect(listener.listening).toBe(true);
    expect(listener.backendPid).not.toBe(firstPid);
    expect(state.warnings.map((warning) => warning.code)).toEqual(['OMC_NOTIFY_LOST', 'OMC_NOTIFY_RESTORED']);
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await waitFor('the call after the notification', () => state.calls === 2);
  });

  it('is replaced every time it is killed', async () => {
    const { listener, state, channel } = await listeningListener();
    for (let kill = 1; kill <= 3; kill++) {
      await admin.query('SELECT pg_terminate_backend($1)', [listener.backendPid]);
      await waitFor(`the catch-up call after kill ${kill}`, () => state.calls === kill);
    }
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await waitFor('the call after the notification', () => state.calls === 4);
    expect(state.warnings.map((warning) => warning.code)).toEqual([
      'OMC_NOTIFY_LOST',
      'OMC_NOTIFY_RESTORED',
      'OMC_NOTIFY_LOST',
      'OMC_NOTIFY_RESTORED',
      'OMC_NOTIFY_LOST',
      'OMC_NOTIFY_RESTORED',
    ]);
  });
});

describe('a server restart', { timeout: 180_000 }, () => {
  it('is ridden out: the listener reconnects after a fast and an immediate restart and after SIGKILL, catching up each time', async () => {
    const cluster = await PgCluster.create();
    try {
      const { listener, state, channel } = await listeningListener({ connection: cluster.url });
      const notify = async (expected: number) => {
        const client = new pg.Client({ connectionString: cluster.url });
        await client.connect();
        try {
          await client.query('SELECT pg_notify($1, $2)', [channel, '']);
        } finally {
          await client.end();
        }
        await waitFor(`call ${expected}, for a notification`, () => state.calls === expected);
      };
      await notify(1);
      await cluster.restart('fast');
      await waitFor('the catch-up call after a fast restart', () => state.calls === 2);
      await notify(3);
      await cluster.restart('immediate');
      await waitFor('the catch-up call after an immediate restart', () => state.calls === 4);
      await notify(5);
      cluster.kill9();
      await waitFor('the drop to be seen', () => !listener.listening);
      await cluster.start();
      await waitFor('the catch-up call after SIGKILL and a start', () => state.calls === 6);
      await notify(7);
      const codes = state.warnings.map((warning) => warning.code);
      // Each outage: said once when it began, once when it ended, however many attempts failed between.
      expect(codes).toEqual([
        'OMC_NOTIFY_LOST',
        'OMC_NOTIFY_RESTORED',
        'OMC_NOTIFY_LOST',
        'OMC_NOTIFY_RESTORED',
        'OMC_NOTIFY_LOST',
        'OMC_NOTIFY_RESTORED',
      ]);
    } finally {
      await Promise.all(listeners.splice(0).map((listener) => listener.close()));
      await cluster.destroy();
    }
  });
});

describe('when notifications are unavailable', TEST_TIMEOUT, () => {
  it('an unreachable listen URL falls back to polling and says so once, however often it retries', async () => {
    let counter = 0;
    let polls = 0;
    const { listener, state } = startListener({
      connection: UNREACHABLE_URL,
      poll: async () => {
        polls++;
        return counter;
      },
      reconnectMinMs: 5,
      reconnectMaxMs: 20,
    });
    await waitFor('several failed attempts', () => internals(listener).failedAttempts >= 4);
    expect(listener.listening).toBe(false);
    expect(state.warnings).toHaveLength(1);
    expect(state.warnings[0]?.code).toBe('OMC_NOTIFY_UNAVAILABLE');
    expect(state.warnings[0]?.message).toMatch(/polling every 10 ms/);
    expect(state.warnings[0]?.message).toMatch(/listenUrl/);
    expect(state.calls).toBe(0);
    counter++;
    // One call for the change, one more on the next tick (the write may not have been committed).
    await waitFor('the calls after the polled value changed', () => state.calls === 2);
    const pollsThen = polls;
    await waitFor('a few more polls', () => polls >= pollsThen + 3);
    expect(state.calls).toBe(2);
    expect(state.warnings).toHaveLength(1);
  });

  it('`false` polls only, says so once, and calls on every tick without a poll function', async () => {
    const { state } = startListener({ connection: false, poll: undefined });
    await waitFor('a few poll ticks', () => state.calls >= 3);
    expect(state.warnings.map((warning) => warning.code)).toEqual(['OMC_NOTIFY_DISABLED']);
  });

  it('a poll reading `undefined` (nothing known yet) is no change, and the next value is the baseline', async () => {
    let reading: number | undefined;
    let polls = 0;
    const { state } = startListener({
      connection: false,
      poll: async () => {
        polls++;
        return reading;
      },
    });
    await waitFor('a few polls with no reading', () => polls >= 3);
    reading = 1;
    const pollsThen = polls;
    await waitFor('a few polls with a reading', () => polls >= pollsThen + 3);
    expect(state.calls).toBe(0);
    reading = 2;
    await waitFor('the calls after the reading moved', () => state.calls === 2);
  });

  it('a failing poll is said once per failing streak', async () => {
    let failing = true;
    let polls = 0;
    const { state } = startListener({
      connection: false,
      poll: async () => {
        polls++;
        if (failing) throw new Error('poll refused');
        return polls;
      },
    });
    await waitFor('several failed polls', () => polls >= 4);
    expect(state.warnings.map((warning) => warning.code)).toEqual(['OMC_NOTIFY_DISABLED', 'OMC_NOTIFY_POLL_FAILED']);
    expect(state.warnings[1]?.message).toMatch(/poll refused/);
    failing = false;
    await waitFor('a call after polls succeed again', () => state.calls >= 1);
  });

  it('listening is taken up again once the server can be reached', async () => {
    // A throwaway TCP proxy stands in for a server that is down at first and then comes up.
    const { createServer, connect } = await import('node:net');
    const target = new URL(PG_URL);
    let up = false;
    const sockets = new Set<import('node:net').Socket>();
    const proxy = createServer((socket) => {
      sockets.add(socket);
      if (!up) {
        socket.destroy();
        return;
      }
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(upstream);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as import('node:net').AddressInfo).port;
      const url = new URL(PG_URL);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      const { listener, state, channel } = startListener({ connection: url.href });
      await waitFor('the fallback warning', () => state.warnings.length === 1);
      expect(state.warnings[0]?.code).toBe('OMC_NOTIFY_UNAVAILABLE');
      up = true;
      await waitFor('listening through the server now up', () => listener.listening);
      expect(state.warnings.map((warning) => warning.code)).toEqual(['OMC_NOTIFY_UNAVAILABLE', 'OMC_NOTIFY_RESTORED']);
      await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
      await waitFor('the call after the notification', () => state.calls === 1);
      await listener.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('stop and close', TEST_TIMEOUT, () => {
  it('make no call afterwards, even for a notification already delivered', async () => {
    const { listener, state, channel } = await listeningListener();
    const client = internals(listener).client as pg.Client;
    client.emit('notification', { channel, payload: '', processId: 1 });
    await listener.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.calls).toBe(0);
    expect(listener.listening).toBe(false);
    expect(internals(listener).pollTimer).toBeUndefined();
    expect(internals(listener).retryTimer).toBeUndefined();
    expect(internals(listener).pingTimer).toBeUndefined();
    listener.start();
    expect(internals(listener).client).toBeUndefined();
  });

  it('stop ends the connection, and start listens again', async () => {
    const { listener, state, channel } = await listeningListener();
    const pid = listener.backendPid;
    listener.stop();
    await waitFor('the backend to go', () => internals(listener).ending.size === 0);
    const { rows } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
    expect(rows).toEqual([]);
    listener.start();
    await waitFor('listening again', () => listener.listening);
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await waitFor('the call after the notification', () => state.calls === 1);
  });

  it('leave no handle open: a process that listened, polled and closed exits by itself', async () => {
    // The module under test, as JavaScript, importing `pg` from this package.
    const dir = mkdtempSync(join(tmpdir(), 'omc-notify-'));
    try {
      const source = readFileSync(join(PACKAGE_DIR, 'src', 'notify-listener.ts'), 'utf8').replace(
        /from 'pg'/,
        `from ${JSON.stringify(PG_MODULE_URL)}`,
      );
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      const modulePath = join(dir, 'notify-listener.mjs');
      writeFileSync(modulePath, outputText);
      const channel = changeChannel(randomName('exit_test'));
      const result = await runNode(`
        // Unref'd timers would not keep the process alive: count the live ones, so none is left behind.
        const live = new Set();
        const { setInterval: si, clearInterval: ci, setTimeout: st, clearTimeout: ct } = globalThis;
        globalThis.setInterval = (fn, ms) => { const t = si(fn, ms); live.add(t); return t; };
        globalThis.clearInterval = (t) => { live.delete(t); ci(t); };
        globalThis.setTimeout = (fn, ms, ...args) => {
          const t = st(() => { live.delete(t); fn(...args); }, ms);
          live.add(t);
          return t;
        };
        globalThis.clearTimeout = (t) => { live.delete(t); ct(t); };
        const { NotifyListener } = await import(${JSON.stringify(pathToFileURL(modulePath).href)});
        const waitFor = async (check) => { while (!check()) await new Promise((r) => setTimeout(r, 5)); };
        let calls = 0;
        const listener = new NotifyListener({
          connection: ${JSON.stringify(PG_URL)}, channel: ${JSON.stringify(channel)},
          pollMs: 5, pingMs: 5, onChange: () => calls++, onWarning: (w) => console.log(w.code),
        });
        listener.start();
        await waitFor(() => listener.listening && calls === 1);
        const polling = new NotifyListener({
          connection: ${JSON.stringify(UNREACHABLE_URL)}, channel: ${JSON.stringify(channel)},
          pollMs: 5, reconnectMinMs: 5, onChange: () => calls++, onWarning: (w) => console.log(w.code),
        });
        polling.start();
        await waitFor(() => calls >= 3);
        await listener.close();
        await polling.close();
        console.log(\`live timers: \${live.size}\`);
      `);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toEqual(['OMC_NOTIFY_UNAVAILABLE', 'live timers: 0']);
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the trigger SQL', TEST_TIMEOUT, () => {
  /** A fresh schema with a tasks table and the notify triggers, and a raw client listening on its channel. */
  async function triggerSchema(name: string) {
    schemas.push(name);
    const s = quoteIdentifier(name);
    await admin.query(`CREATE SCHEMA ${s}`);
    await admin.query(`CREATE TABLE ${s}.tasks (id text PRIMARY KEY, status text NOT NULL)`);
    for (const statement of notifyTriggerSql(name)) await admin.query(statement);
    const raw = new pg.Client({ connectionString: PG_URL });
    await raw.connect();
    const heard: string[] = [];
    raw.on('notification', (message) => heard.push(message.payload ?? ''));
    await raw.query(`LISTEN ${quoteIdentifier(changeChannel(name))}`);
    return { s, raw, heard };
  }

  it('notifies once per statement that wrote rows, and never for one that wrote none', async () => {
    const name = randomName('omc_notify_trigger');
    const { s, raw, heard } = await triggerSchema(name);
    try {
      const channel = changeChannel(name);
      const marker = async (label: string) => {
        await admin.query('SELECT pg_notify($1, $2)', [channel, label]);
        await waitFor(`marker ${label}`, () => heard.includes(label));
      };
      await admin.query(`INSERT INTO ${s}.tasks VALUES ('a', 'pending'), ('b', 'pending'), ('c', 'pending')`);
      await marker('after insert');
      await admin.query(`UPDATE ${s}.tasks SET status = 'claimed' WHERE status = 'pending'`);
      await marker('after update');
      // What an idle worker's claim does: it finds nothing, and must not wake the others.
      await admin.query(`UPDATE ${s}.tasks SET status = 'claimed' WHERE status = 'pending'`);
      await admin.query(`INSERT INTO ${s}.tasks VALUES ('a', 'pending') ON CONFLICT DO NOTHING`);
      await marker('after writing nothing');
      // Notifications come in commit order: each marker follows exactly what its statement sent.
      expect(heard).toEqual(['', 'after insert', '', 'after update', 'after writing nothing']);
    } finally {
      await raw.end();
    }
  });

  it('with `watch`, notifies for an UPDATE only when it changed a watched column', async () => {
    const name = randomName('omc_notify_trigger');
    schemas.push(name);
    const s = quoteIdentifier(name);
    await admin.query(`CREATE SCHEMA ${s}`);
    await admin.query(`CREATE TABLE ${s}.tasks (id text PRIMARY KEY, status text NOT NULL, lease_expires_at bigint)`);
    for (const statement of notifyTriggerSql(name, { watch: ['status'] })) await admin.query(statement);
    const raw = new pg.Client({ connectionString: PG_URL });
    await raw.connect();
    try {
      const heard: string[] = [];
      raw.on('notification', (message) => heard.push(message.payload ?? ''));
      const channel = changeChannel(name);
      await raw.query(`LISTEN ${quoteIdentifier(channel)}`);
      const marker = async (label: string) => {
        await admin.query('SELECT pg_notify($1, $2)', [channel, label]);
        await waitFor(`marker ${label}`, () => heard.includes(label));
      };
      await admin.query(`INSERT INTO ${s}.tasks VALUES ('a', 'claimed', 1)`);
      await marker('after insert');
      // A heartbeat: only the lease moves.
      await admin.query(`UPDATE ${s}.tasks SET lease_expires_at = 2 WHERE id = 'a'`);
      await admin.query(`UPDATE ${s}.tasks SET status = 'claimed' WHERE id = 'a'`);
      await marker('after heartbeats');
      await admin.query(`UPDATE ${s}.tasks SET status = 'completed', lease_expires_at = NULL WHERE id = 'a'`);
      await marker('after completing');
      expect(heard).toEqual(['', 'after insert', 'after heartbeats', '', 'after completing']);
    } finally {
      await raw.end();
    }
  });

  it('wakes a listener when another OS process inserts a task', async () => {
    const name = randomName('omc_notify_trigger');
    const { s, raw } = await triggerSchema(name);
    await raw.end();
    const { state } = await listeningListener({ channel: changeChannel(name) });
    const result = await runNode(`
      import pg from ${JSON.stringify(PG_MODULE_URL)};
      const client = new pg.Client({ connectionString: ${JSON.stringify(PG_URL)} });
      await client.connect();
      await client.query(${JSON.stringify(`INSERT INTO ${s}.tasks VALUES ('from another process', 'pending')`)});
      await client.end();
    `);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    await waitFor('the call after the other process inserted', () => state.calls === 1);
  });

  it('quotes a schema name that needs it, and hashes one too long for a channel', async () => {
    const odd = `Odd "name"; ${randomBytes(3).toString('hex')}`;
    const { s, raw, heard } = await triggerSchema(odd);
    try {
      await admin.query(`INSERT INTO ${s}.tasks VALUES ('a', 'pending')`);
      await waitFor('the notification', () => heard.length === 1);
    } finally {
      await raw.end();
    }
    const long = `omc_${'x'.repeat(54)}_${randomBytes(2).toString('hex')}`;
    expect(Buffer.byteLength(`omc:${long}`)).toBeGreaterThan(63);
    expect(Buffer.byteLength(changeChannel(long))).toBeLessThanOrEqual(63);
    expect(changeChannel(long)).toBe(changeChannel(long));
    const longSchema = await triggerSchema(long);
    try {
      await admin.query(`INSERT INTO ${longSchema.s}.tasks VALUES ('a', 'pending')`);
      await waitFor('the notification on the hashed channel', () => longSchema.heard.length === 1);
    } finally {
      await longSchema.raw.end();
    }
  });
});

describe('the pool’s change signal with notifications', TEST_TIMEOUT, () => {
  it('tells its subscribers of local writes and of other connections’ notifications, and nothing after close', async () => {
    const channel = changeChannel(randomName('signal_test'));
    const warnings: NotifyWarning[] = [];
    let reads = 0;
    const signal = new PollingChangeSignal(
      {
        read: async () => {
          reads++;
          return 'unchanged';
        },
      },
      10,
      { connection: PG_URL, channel, onWarning: (warning) => warnings.push(warning) },
    );
    let calls = 0;
    const stop = signal.subscribe(() => {
      calls++;
    });
    const listener = (signal as unknown as { notify: NotifyListener }).notify;
    await waitFor('the signal to LISTEN', () => listener.listening);
    signal.changed();
    await waitFor('the call for a local write', () => calls === 1);
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await waitFor('the call for the notification', () => calls === 2);
    // While notifications are heard, the probe is read only around the first LISTEN (the catch-up).
    expect(reads).toBe(2);
    stop();
    expect(listener.listening).toBe(false);
    signal.subscribe(() => {
      calls++;
    });
    await waitFor('listening again for a new subscriber', () => listener.listening);
    signal.close();
    expect(listener.listening).toBe(false);
    signal.changed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
    const settled = calls;
    await admin.query('SELECT pg_notify($1, $2)', [channel, '']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(settled);
  });

  it('without notify options, polls the probe as before', async () => {
    let mark = 0;
    const signal = new PollingChangeSignal({ read: async () => String(mark) }, 10);
    let calls = 0;
    signal.subscribe(() => {
      calls++;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    mark++;
    await waitFor('the call after the probe moved', () => calls >= 1);
    expect((signal as unknown as { notify: unknown }).notify).toBeUndefined();
    signal.close();
  });
});
