/**
 * plainjob, a SQLite job queue for Node, on the same better-sqlite3 (it sets WAL, synchronous=1 and a busy
 * timeout itself). Its maintenance timer is pushed out of reach so nothing runs in the background while
 * measuring, and nothing polls: the loop calls its claim (`getAndMarkJobAsProcessing`) directly.
 * plainjob has no priorities and no in-progress state: claims are FIFO by `next_run_at` and `start` does nothing.
 * It has no stats call either: `stats` counts each status with its `countJobs`.
 *
 * @module
 */
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { better, defineQueue, JobStatus } from 'plainjob';

const require = createRequire(import.meta.url);

/** Job type used for every task. */
const TYPE = 'task';
/** The longest delay `setInterval` accepts (about 24.8 days): the maintenance never fires during a run. */
const NEVER = 2_147_483_647;
/** Rows flipped per statement by `finishAllPending`. */
const FINISH_CHUNK = 50_000;

/** @type {import('plainjob').Logger} */
const silent = { error() {}, warn() {}, info() {}, debug() {} };

/**
 * @param {string} path
 * @returns {import('../subject.mjs').BenchDb}
 */
function open(path) {
  const db = new Database(path);
  const queue = defineQueue({ connection: better(db), logger: silent, maintenanceInterval: NEVER });
  const finishChunk = db.prepare(
    `UPDATE plainjob_jobs SET status = ${JobStatus.Done}
     WHERE id IN (SELECT id FROM plainjob_jobs WHERE status = ${JobStatus.Pending} LIMIT ${FINISH_CHUNK})`,
  );

  return {
    createOne: (input) => queue.add(TYPE, input),
    createBatch: (inputs) => queue.addMany(TYPE, inputs),
    claim: () => queue.getAndMarkJobAsProcessing(TYPE) ?? null,
    start() {},
    complete: (id) => queue.markJobAsDone(Number(id)),
    countPending: () => queue.countJobs({ status: JobStatus.Pending }),
    // plainjob has no stats call; its counts by status are one `countJobs` per status (each an index count
    // over its (status, type, next_run_at) index).
    stats: () => ({
      pending: queue.countJobs({ status: JobStatus.Pending }),
      processing: queue.countJobs({ status: JobStatus.Processing }),
      done: queue.countJobs({ status: JobStatus.Done }),
      failed: queue.countJobs({ status: JobStatus.Failed }),
    }),
    finishAllPending() {
      while (finishChunk.run().changes > 0) {
        // keep flipping until no pending job is left
      }
    },
    close: () => queue.close(),
  };
}

/** @type {import('../subject.mjs').Subject} */
export const plainjob = {
  name: 'plainjob',
  description: 'plainjob queue (add, addMany, getAndMarkJobAsProcessing, markJobAsDone); FIFO, no priorities',
  hasStart: false,
  hasLeases: false,
  open,
  versions() {
    return { plainjob: require('plainjob/package.json').version };
  },
};
