/**
 * The baseline: the same work as hand-written better-sqlite3 prepared statements, WAL, `synchronous = NORMAL`.
 * The guide's columns plus one composite partial index on pending tasks, and nothing else.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    assigned_agent TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER,
    result TEXT,
    error TEXT,
    metadata TEXT
  );
  CREATE INDEX IF NOT EXISTS idx_tasks_pending ON tasks(priority DESC, created_at) WHERE status = 'pending';
`;

/** Rows flipped per statement by `finishAllPending`, so the WAL can checkpoint between chunks. */
const FINISH_CHUNK = 50_000;

/**
 * A connection with the baseline's settings and schema.
 *
 * @param {string} path
 * @returns {import('better-sqlite3').Database}
 */
function connect(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

/**
 * @param {string} path
 * @param {import('better-sqlite3').Database} [db] An open connection to use instead of a new one.
 * @returns {import('../subject.mjs').BenchDb}
 */
function open(path, db = connect(path)) {
  const insert = db.prepare(
    `INSERT INTO tasks (id, title, description, status, priority, created_at, updated_at, metadata)
     VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)`,
  );
  const claim = db.prepare(
    `UPDATE tasks SET status = 'claimed', assigned_agent = ?, updated_at = ?, started_at = ?
     WHERE rowid = (SELECT rowid FROM tasks WHERE status = 'pending' ORDER BY priority DESC, created_at, rowid LIMIT 1)
     RETURNING *`,
  );
  const start = db.prepare(
    `UPDATE tasks SET status = 'in_progress', updated_at = ? WHERE id = ? AND status = 'claimed'`,
  );
  const complete = db.prepare(
    `UPDATE tasks SET status = 'completed', result = ?, updated_at = ?, completed_at = ?
     WHERE id = ? AND status IN ('claimed', 'in_progress')`,
  );
  const countPending = db.prepare(`SELECT count(*) AS n FROM tasks WHERE status = 'pending'`);
  // What a hand-written pool would do for its stats: no counters, one GROUP BY (a scan of every row).
  const countByStatus = db.prepare('SELECT status, count(*) AS n FROM tasks GROUP BY status').raw();
  const finishChunk = db.prepare(
    `UPDATE tasks SET status = 'completed', result = 'ok', updated_at = ?, completed_at = ?
     WHERE rowid IN (SELECT rowid FROM tasks WHERE status = 'pending' LIMIT ${FINISH_CHUNK})`,
  );

  /** @param {import('../subject.mjs').TaskInput} input */
  const insertOne = (input) => {
    const now = Date.now();
    const metadata = input.metadata === undefined ? null : JSON.stringify(input.metadata);
    insert.run(randomUUID(), input.title, input.description, input.priority ?? 1, now, now, metadata);
  };
  const insertMany = db.transaction((/** @type {import('../subject.mjs').TaskInput[]} */ inputs) => {
    for (const input of inputs) insertOne(input);
  });

  return {
    createOne: insertOne,
    createBatch: (inputs) => insertMany(inputs),
    claim(agent) {
      const now = Date.now();
      const row = /** @type {{ id: string } | undefined} */ (claim.get(agent, now, now));
      return row ? { id: row.id } : null;
    },
    start: (id) => start.run(Date.now(), id),
    complete(id, result) {
      const now = Date.now();
      complete.run(result, now, now, id);
    },
    countPending: () => /** @type {{ n: number }} */ (countPending.get()).n,
    stats: () => Object.fromEntries(/** @type {[string, number][]} */ (countByStatus.all())),
    finishAllPending() {
      const now = Date.now();
      while (finishChunk.run(now, now).changes > 0) {
        // keep flipping until no pending row is left
      }
    },
    close: () => db.close(),
  };
}

/**
 * The raw subject plus batched claims and completions, for the swarm workload's baseline: claim `limit`
 * tasks in one statement, complete a list of tasks in one transaction.
 *
 * @param {string} path
 * @returns {import('../subject.mjs').BenchDb & { claimBatch(agent: string, limit: number): string[], completeBatch(ids: string[], result: string): void }}
 */
export function openBatchedRaw(path) {
  const db = connect(path);
  const base = open(path, db);
  const claimBatch = db.prepare(
    `UPDATE tasks SET status = 'claimed', assigned_agent = ?, updated_at = ?, started_at = ?
     WHERE rowid IN (SELECT rowid FROM tasks WHERE status = 'pending' ORDER BY priority DESC, created_at, rowid LIMIT ?)
     RETURNING id`,
  );
  const complete = db.prepare(
    `UPDATE tasks SET status = 'completed', result = ?, updated_at = ?, completed_at = ?
     WHERE id = ? AND status IN ('claimed', 'in_progress')`,
  );
  const completeAll = db.transaction((/** @type {string[]} */ ids, /** @type {string} */ result) => {
    const now = Date.now();
    for (const id of ids) complete.run(result, now, now, id);
  });
  return {
    ...base,
    claimBatch(agent, limit) {
      const now = Date.now();
      return /** @type {{ id: string }[]} */ (claimBatch.all(agent, now, now, limit)).map((row) => row.id);
    },
    completeBatch: (ids, result) => completeAll(ids, result),
  };
}

/** @type {import('../subject.mjs').Subject} */
export const raw = {
  name: 'raw',
  description: 'hand-written better-sqlite3 prepared statements, WAL, synchronous=NORMAL, one partial index on pending',
  hasStart: true,
  hasLeases: false,
  open,
  versions() {
    const db = new Database(':memory:');
    const sqlite = /** @type {{ v: string }} */ (db.prepare('select sqlite_version() v').get()).v;
    db.close();
    return { 'better-sqlite3': require('better-sqlite3/package.json').version, sqlite };
  },
};
