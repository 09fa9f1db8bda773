import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

/** Why the change signal degraded or recovered, for {@link NotifyListenerOptions.onWarning}. */
export type NotifyWarningCode =
  /** `listenUrl: false`: other hosts' writes are found by polling only. */
  | 'OMC_NOTIFY_DISABLED'
  /** The listening connection could not connect, LISTEN was refused, or a notification did not come back. */
  | 'OMC_NOTIFY_UNAVAILABLE'
  /** The listening connection dropped (server restart, `pg_terminate_backend`, network). */
  | 'OMC_NOTIFY_LOST'
  /** Listening works again after one of the above; polling stopped. */
  | 'OMC_NOTIFY_RESTORED'
  /** The fallback poll failed (it is retried every tick). */
  | 'OMC_NOTIFY_POLL_FAILED';

/**
 * What the change signal says when it stops (or starts again) hearing other processes' writes at once.
 * Never thrown: handed to `onWarning`, or to `process.emitWarning` when there is none.
 */
export class NotifyWarning extends Error {
  override readonly name = 'NotifyWarning';
  constructor(
    /** Stable code, for programs. */
    readonly code: NotifyWarningCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a fallback poll reads: compared with `===` to the previous reading. */
export type PolledValue = number | bigint | string;

/** Where the listening connection goes: a connection string or a `pg` client config; `false` disables it. */
export type ListenConnection = string | pg.ClientConfig | false;

/** Options of a {@link NotifyListener}. */
export interface NotifyListenerOptions {
  /**
   * The connection that LISTENs: a direct one (LISTEN cannot go through a transaction-mode pooler such
   * as PgBouncer), or `false` to poll only.
   */
  connection: ListenConnection;
  /** The channel, from {@link changeChannel}. */
  channel: string;
  /** Called, once per burst, when another connection may have changed the tasks. */
  onChange: () => void;
  /** How often the fallback polls while notifications are unavailable, in ms. */
  pollMs: number;
  /**
   * The fallback's cheap read: a value that differs whenever the tasks changed (a counter, a maximum,
   * a sequence's `last_value`); after a change, the next tick calls `onChange` once more, in case the
   * write was not committed yet when the value moved; `undefined` means no reading this tick. Without it,
   * every poll tick calls `onChange`.
   */
  poll?: (() => Promise<PolledValue | undefined>) | undefined;
  /** Bound of each connect, LISTEN, probe, ping and poll, in ms. Default 5 000. */
  connectTimeoutMs?: number | undefined;
  /** First reconnect delay, in ms, doubled each failed attempt (with jitter). Default 100. */
  reconnectMinMs?: number | undefined;
  /** Longest reconnect delay, in ms. Default 30 000. */
  reconnectMaxMs?: number | undefined;
  /** How often an idle listening connection is checked (`select 1`), in ms. Default 30 000. */
  pingMs?: number | undefined;
  /** Told when notifications become unavailable or come back. Default: `process.emitWarning`. */
  onWarning?: ((warning: NotifyWarning) => void) | undefined;
}

/** The payload of the notification a listener sends itself to prove the channel delivers; others ignore it. */
const PROBE_PREFIX = 'omc-probe:';

/** PostgreSQL's longest identifier, in bytes (NAMEDATALEN - 1); `pg_notify` refuses a longer channel. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * The notification channel of the pool in `schema`: `omc:<schema>`, or, when that is longer than an
 * identifier may be, `omc:` and a hash of the schema name, so every process derives the same name.
 *
 * ### Examples
 * ```ts
 * changeChannel('public'); // 'omc:public'
 * ```
 */
export function changeChannel(schema: string): string {
  if (schema.length === 0 || schema.includes('\0')) throw new TypeError('A schema name is non-empty and has no NUL');
  const plain = `omc:${schema}`;
  if (Buffer.byteLength(plain) <= MAX_IDENTIFIER_BYTES) return plain;
  return `omc:${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/** `name` as a quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new TypeError('An identifier has no NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

/** `text` as an SQL string literal (`standard_conforming_strings`, on by default since PostgreSQL 9.1). */
export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new TypeError('A string literal has no NUL');
  return `'${text.replaceAll("'", "''")}'`;
}

/** Options of {@link notifyTriggerSql}. */
export interface NotifyTriggerOptions {
  /** The tasks table, in the schema. Default `tasks`. */
  table?: string;
  /**
   * When given, an UPDATE notifies only if it changed one of these columns in some row (say, `status`,
   * `waiting_on`, `run_at`: what makes a task claimable or ends it), so heartbeats and progress writes
   * wake nobody. Default: every UPDATE that wrote a row notifies.
   */
  watch?: readonly string[];
  /** The column that pairs a row's old and new versions, with `watch`. Default `id`. */
  key?: string;
}

/** A plain lower-case identifier: what may be spliced, quoted, into a function body. */
const PLAIN_COLUMN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The write side of the change signal, for a migration: trigger functions and two statement-level
 * triggers on the tasks table that `pg_notify` the pool's channel after each INSERT or UPDATE statement
 * that wrote at least one row. Statement-level, so a batch claim or a grouped completion sends one
 * notification, not one per row; PostgreSQL delivers it at commit (only committed work wakes anyone) and
 * folds repeats within one transaction. A statement that wrote nothing stays silent: a statement-level
 * trigger fires even for zero rows, and an idle worker's empty claim must not wake every other idle
 * worker, whose empty claims would wake it again. The transition tables that count the rows cannot
 * belong to a trigger on two events, hence one trigger per event. The channel is the triggers' argument,
 * so no schema name is ever spliced into a function's body.
 *
 * ### Examples
 * ```ts
 * for (const statement of notifyTriggerSql('omc', { watch: ['status', 'waiting_on', 'run_at'] })) {
 *   await client.query(statement);
 * }
 * ```
 *
 * @param schema The pool's schema (the channel is {@link changeChannel} of it).
 */
export function notifyTriggerSql(schema: string, options: NotifyTriggerOptions = {}): string[] {
  const { table = 'tasks', watch, key = 'id' } = options;
  for (const column of [...(watch ?? []), key]) {
    if (!PLAIN_COLUMN.test(column)) throw new TypeError(`A watched column is a plain identifier, got ${column}`);
  }
  if (watch !== undefined && watch.length === 0) throw new TypeError('watch lists at least one column');
  const s = quoteIdentifier(schema);
  const t = `${s}.${quoteIdentifier(table)}`;
  const channel = quoteLiteral(changeChannel(schema));
  const notify = (condition: string) => `RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF ${condition} THEN
    PERFORM pg_notify(TG_ARGV[0], '');
  END IF;
  RETURN NULL;
END
$$`;
  const anyWritten = 'EXISTS (SELECT 1 FROM omc_written)';
  const statements = [`CREATE OR REPLACE FUNCTION ${s}.omc_notify_change() ${notify(anyWritten)}`];
  let updateFunction = 'omc_notify_change';
  let updateTables = 'NEW TABLE AS omc_written';
  if (watch !== undefined) {
    const columns = (alias: string) => watch.map((column) => `${alias}.${quoteIdentifier(column)}`).join(', ');
    const changed =
      `EXISTS (SELECT 1 FROM omc_written n JOIN omc_before o ON o.${quoteIdentifier(key)} = n.${quoteIdentifier(key)} ` +
      `WHERE ROW(${columns('n')}) IS DISTINCT FROM ROW(${columns('o')}))`;
    statements.push(`CREATE OR REPLACE FUNCTION ${s}.omc_notify_update() ${notify(changed)}`);
    updateFunction = 'omc_notify_update';
    updateTables = 'OLD TABLE AS omc_before NEW TABLE AS omc_written';
  }
  statements.push(
    `CREATE TRIGGER omc_notify_insert AFTER INSERT ON ${t} REFERENCING NEW TABLE AS omc_written ` +
      `FOR EACH STATEMENT EXECUTE FUNCTION ${s}.omc_notify_change(${channel})`,
    `CREATE TRIGGER omc_notify_update AFTER UPDATE ON ${t} REFERENCING ${updateTables} ` +
      `FOR EACH STATEMENT EXECUTE FUNCTION ${s}.${updateFunction}(${channel})`,
  );
  return statements;
}

/** `promise`, or a rejection naming `what` after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Hears other processes' writes to a PostgreSQL pool at once, through `LISTEN/NOTIFY`, on one dedicated
 * connection (never one of the pool's: it stays in LISTEN for as long as anyone listens). A burst of
 * notifications makes one `onChange` call. When the connection drops it reconnects with exponential
 * backoff and jitter, LISTENs again and calls `onChange` once (writes may have been missed meanwhile);
 * while it cannot listen (the server is down, LISTEN is refused, a pooler swallows notifications,
 * `connection: false`) it polls every `pollMs` and says so once through `onWarning`. Its timers are
 * unref'd; after `stop()` or `close()` it makes no call and holds no connection or timer.
 *
 * ### Examples
 * ```ts
 * const listener = new NotifyListener({
 *   connection: 'postgres://postgres@db.internal:5432/tasks',
 *   channel: changeChannel('omc'),
 *   onChange: () => console.log('tasks changed'),
 *   pollMs: 1000,
 * });
 * listener.start();
 * // ...
 * await listener.close();
 * ```
 */
export class NotifyListener {
  private readonly connectTimeoutMs: number;
  private readonly reconnectMinMs: number;
  private readonly reconnectMaxMs: number;
  private readonly pingMs: number;
  private running = false;
  private closed = false;
  /** Bumped by every start and stop, so a callback of an earlier run does nothing. */
  private run = 0;
  private client: pg.Client | undefined;
  private isListening = false;
  private failedAttempts = 0;
  /** Notifications are unavailable and that was said; the next success says they are back. */
  private degraded = false;
  private warnedDisabled = false;
  private pollFailing = false;
  private pollInFlight = false;
  private pingInFlight = false;
  private lastPolled: { value: PolledValue } | undefined;
  /** The last poll saw a change: call once more on the next, in case the write had not committed yet. */
  private pollTrailing = false;
  /** Fails the connection attempt under way, when its connection errors or ends before it listens. */
  private failConnect: ((error: unknown) => void) | undefined;
  private scheduled = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly ending = new Set<Promise<void>>();
  /**
   * The poll's value when this run started, until its first LISTEN: that LISTEN catches up only if the
   * value moved meanwhile, so subscribing alone makes no call (later reconnects always catch up).
   */
  private baseline: Promise<PolledValue | undefined> | undefined;

  constructor(private readonly options: NotifyListenerOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.reconnectMinMs = options.reconnectMinMs ?? 100;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 30_000;
    this.pingMs = options.pingMs ?? 30_000;
  }

  /** Whether notifications are being heard right now (`false` while connecting, polling, stopped). */
  get listening(): boolean {
    return this.isListening;
  }

  /** The listening backend's process id, while listening. @internal */
  get backendPid(): number | undefined {
    const pid = this.isListening ? (this.client as { processID?: number } | undefined)?.processID : undefined;
    return pid ?? undefined;
  }

  /** Start hearing changes (connect and LISTEN, or poll). Twice is harmless; after `close()` it does nothing. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    const run = ++this.run;
    if (this.options.connection === false) {
      if (!this.warnedDisabled) {
        this.warnedDisabled = true;
        this.warn(
          'OMC_NOTIFY_DISABLED',
          `Notifications are disabled (listenUrl: false): other processes' writes are seen by polling every ${this.options.pollMs} ms.`,
        );
      }
      this.startPolling();
      return;
    }
    // Read now, synchronously started, so a write between this call and LISTEN moves the value.
    this.baseline = this.options.poll === undefined ? undefined : this.readPoll();
    void this.connect(run);
  }

  /** Stop: end the connection and every timer; no `onChange` call until the next `start()`. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.run++;
    this.isListening = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopPolling();
    this.stopPinging();
    const client = this.client;
    this.client = undefined;
    this.failConnect = undefined;
    if (client !== undefined) this.end(client);
  }

  /** Stop for good; resolves when the listening connection has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await Promise.all([...this.ending]);
  }

  private async connect(run: number): Promise<void> {
    const connection = this.options.connection as string | pg.ClientConfig;
    const config: pg.ClientConfig = typeof connection === 'string' ? { connectionString: connection } : connection;
    const client = new pg.Client({
      application_name: 'omc-listen',
      ...config,
      connectionTimeoutMillis: this.connectTimeoutMs,
      keepAlive: true,
    });
    this.client = client;
    const probe = `${PROBE_PREFIX}${randomUUID()}`;
    let probed: () => void = () => {};
    const probeHeard = new Promise<void>((resolve) => {
      probed = resolve;
    });
    const failed = new Promise<never>((_, reject) => {
      this.failConnect = reject;
    });
    failed.catch(() => {});
    const step = <T>(promise: Promise<T>, what: string) =>
      withTimeout(Promise.race([promise, failed]), this.connectTimeoutMs, what);
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel !== this.options.channel) return;
      if (message.payload === probe) probed();
      else if (!message.payload?.startsWith(PROBE_PREFIX)) this.schedule();
    });
    try {
      await step(client.connect(), 'Connecting to listen');
      await step(client.query(`LISTEN ${quoteIdentifier(this.options.channel)}`), 'LISTEN');
      // A pooler in transaction mode accepts LISTEN and then never delivers: prove the round trip.
      await step(client.query('SELECT pg_notify($1, $2)', [this.options.channel, probe]), 'NOTIFY');
      await step(probeHeard, 'Hearing our own notification');
    } catch (error) {
      if (this.client !== client) return;
      this.client = undefined;
      this.failConnect = undefined;
      this.end(client);
      if (run !== this.run) return;
      this.degrade(
        'OMC_NOTIFY_UNAVAILABLE',
        `Cannot LISTEN for other processes' writes (${describe(error)}): polling every ${this.options.pollMs} ms and retrying. LISTEN needs a direct connection, not a transaction-mode pooler such as PgBouncer: pass one as listenUrl.`,
        error,
      );
      this.retryLater(run);
      return;
    }
    this.failConnect = undefined;
    if (run !== this.run || this.client !== client) return;
    this.isListening = true;
    this.failedAttempts = 0;
    this.stopPolling();
    this.startPinging(client);
    if (this.degraded) {
      this.degraded = false;
      this.warn('OMC_NOTIFY_RESTORED', 'Listening for other processes\u2019 writes again: polling stopped.');
    }
    // Writes made before LISTEN took effect (while connecting, or while the connection was down) sent
    // notifications nobody heard: one call catches up. On the run's first LISTEN, only if the poll moved.
    const baseline = this.baseline;
    this.baseline = undefined;
    if (baseline === undefined) {
      this.schedule();
      return;
    }
    void this.catchUpSince(baseline, run);
  }

  private async catchUpSince(baseline: Promise<PolledValue | undefined>, run: number): Promise<void> {
    const before = await baseline;
    const after = await this.readPoll();
    if (run !== this.run) return;
    // Unknown either side: call, since a missed write costs more than a spare call.
    if (before === undefined || after === undefined || before !== after) this.schedule();
  }

  /** One poll reading, bounded by the timeout; `undefined` when it fails or knows nothing. */
  private readPoll(): Promise<PolledValue | undefined> {
    const poll = this.options.poll as () => Promise<PolledValue | undefined>;
    let reading: Promise<PolledValue | undefined>;
    try {
      reading = poll();
    } catch {
      return Promise.resolve(undefined);
    }
    return withTimeout(reading, this.connectTimeoutMs, 'The change poll').catch(() => undefined);
  }

  /** The connection `client` failed; if it is the current one, poll and reconnect. */
  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    if (!this.isListening) {
      // Still connecting: the attempt fails and connect() handles it.
      this.failConnect?.(error);
      return;
    }
    this.client = undefined;
    this.isListening = false;
    this.stopPinging();
    this.end(client);
    if (!this.running) return;
    this.degrade(
      'OMC_NOTIFY_LOST',
      `The listening connection dropped (${describe(error)}): reconnecting, polling every ${this.options.pollMs} ms meanwhile.`,
      error,
    );
    this.retryLater(this.run);
  }

  private degrade(code: NotifyWarningCode, message: string, cause: unknown): void {
    if (!this.degraded) {
      this.degraded = true;
      this.warn(code, message, cause);
    }
    this.startPolling();
  }

  private retryLater(run: number): void {
    const base = Math.min(this.reconnectMaxMs, this.reconnectMinMs * 2 ** this.failedAttempts);
    this.failedAttempts++;
    // Half fixed, half random: processes that lost the server together do not all come back at once.
    const delay = base / 2 + Math.random() * (base / 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (run === this.run) void this.connect(run);
    }, delay);
    this.retryTimer.unref();
  }

  private startPinging(client: pg.Client): void {
    this.stopPinging();
    // A connection whose server vanished without a word looks idle forever: check it now and then.
    this.pingTimer = setInterval(() => {
      if (this.pingInFlight) return;
      this.pingInFlight = true;
      withTimeout(client.query('SELECT 1'), this.connectTimeoutMs, 'Checking the listening connection')
        .catch((error: unknown) => this.lost(client, error))
        .finally(() => {
          this.pingInFlight = false;
        });
    }, this.pingMs);
    this.pingTimer.unref();
  }

  private stopPinging(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  private startPolling(): void {
    if (this.pollTimer !== undefined) return;
    this.lastPolled = undefined;
    this.pollTrailing = false;
    this.pollTimer = setInterval(this.pollOnce, this.options.pollMs);
    this.pollTimer.unref();
    // The first reading is the baseline: take it now, so a change within the first interval counts.
    if (this.options.poll !== undefined) this.pollOnce();
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private readonly pollOnce = (): void => {
    const poll = this.options.poll;
    if (poll === undefined) {
      this.schedule();
      return;
    }
    if (this.pollInFlight) return;
    this.pollInFlight = true;
    const run = this.run;
    withTimeout(Promise.resolve().then(poll), this.connectTimeoutMs, 'The change poll')
      .then(
        (value) => {
          if (run !== this.run || this.pollTimer === undefined) return;
          this.pollFailing = false;
          if (value === undefined) return;
          const last = this.lastPolled;
          this.lastPolled = { value };
          const changed = last !== undefined && last.value !== value;
          // A counter such as a sequence moves before its transaction commits: a reader told at once may
          // not see the write yet, so the next tick tells it again.
          if (changed || this.pollTrailing) this.schedule();
          this.pollTrailing = changed;
        },
        (error: unknown) => {
          if (run !== this.run || this.pollFailing) return;
          this.pollFailing = true;
          this.warn(
            'OMC_NOTIFY_POLL_FAILED',
            `The change poll failed (${describe(error)}): retrying every tick.`,
            error,
          );
        },
      )
      .finally(() => {
        this.pollInFlight = false;
      });
  };

  /** Call `onChange` once for every notification (or poll) of this turn of the event loop. */
  private schedule(): void {
    if (this.scheduled || !this.running) return;
    this.scheduled = true;
    const run = this.run;
    setImmediate(() => {
      this.scheduled = false;
      if (run === this.run && this.running) this.options.onChange();
    });
  }

  private end(client: pg.Client): void {
    client.removeAllListeners('notification');
    // A dead socket may never answer the goodbye: destroy it after the timeout.
    const timer = setTimeout(() => destroy(client), this.connectTimeoutMs);
    timer.unref();
    const ended = client
      .end()
      .catch(() => destroy(client))
      .finally(() => {
        clearTimeout(timer);
        this.ending.delete(ended);
      });
    this.ending.add(ended);
  }

  private warn(code: NotifyWarningCode, message: string, cause?: unknown): void {
    const warning = new NotifyWarning(code, message, { cause });
    if (this.options.onWarning === undefined) {
      process.emitWarning(warning);
      return;
    }
    try {
      this.options.onWarning(warning);
    } catch (error) {
      // A faulty hook must not break the signal; its error still surfaces, uncaught.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

function destroy(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
