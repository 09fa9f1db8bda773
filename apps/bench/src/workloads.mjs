/**
 * The throughput workloads: the guide's benchmark, single creates, batch creates, the claim→complete cycle.
 * Each one warms every subject up on a small run, then keeps the best of three timed runs per subject, each
 * on a fresh database, the subjects taking turns within each round.
 *
 * @module
 */
import { chunk, fmtCount, makeInputs } from './inputs.mjs';
import { interleaved, perSecond, timeMs, withDb, withTempDb } from './measure.mjs';

/**
 * A row of the table.
 *
 * @typedef {object} RowSpec
 * @property {string} id Stable key in the JSON.
 * @property {string} label
 * @property {string} unit
 * @property {'higher' | 'lower'} better
 */

/**
 * A workload: its rows, and how to measure them on every subject.
 *
 * @typedef {object} Workload
 * @property {string} id
 * @property {(sizes: import('./inputs.mjs').BenchSizes) => RowSpec[]} rows
 * @property {(subjects: import('./subject.mjs').Subject[], sizes: import('./inputs.mjs').BenchSizes) => import('./measure.mjs').BySubject} measure
 */

/**
 * The guide's benchmark once: create `count` tasks one by one, then `agents` agents take turns (claim, mark
 * in progress, complete) until the pool is empty.
 *
 * @param {import('./subject.mjs').Subject} subject
 * @param {string} path
 * @param {number} count
 * @param {number} agents
 * @returns {import('./measure.mjs').Run}
 */
function guideOnce(subject, path, count, agents) {
  const inputs = makeInputs(count);
  const names = Array.from({ length: agents }, (_, i) => `agent-${i + 1}`);
  return withDb(subject, path, (db) => {
    const createMs = timeMs(() => {
      for (const input of inputs) db.createOne(input);
    });
    let done = 0;
    const processMs = timeMs(() => {
      for (let turn = 0; ; turn++) {
        const task = db.claim(names[turn % agents]);
        if (task === null) break;
        db.start(task.id);
        db.complete(task.id, 'ok');
        done++;
      }
    });
    if (done !== count) throw new Error(`${subject.name}: the guide run completed ${done} of ${count} tasks`);
    return { value: perSecond(count, createMs + processMs), details: { createMs, processMs, tasks: count } };
  });
}

/** @type {Workload} */
export const guide = {
  id: 'guide',
  rows: (s) =>
    ['file', 'memory'].map((where) => ({
      id: `guide-${where}`,
      label: `guide bench (${fmtCount(s.guideTasks)} tasks, ${s.guideAgents} agents), ${where === 'file' ? 'file' : ':memory:'}`,
      unit: 'tasks/s',
      better: 'higher',
    })),
  measure(subjects, s) {
    return interleaved(
      subjects,
      guide.rows(s),
      (subject) => withTempDb((path) => guideOnce(subject, path, 100, s.guideAgents)),
      (subject) => ({
        'guide-file': withTempDb((path) => guideOnce(subject, path, s.guideTasks, s.guideAgents)),
        'guide-memory': guideOnce(subject, ':memory:', s.guideTasks, s.guideAgents),
      }),
    );
  },
};

/**
 * @param {import('./subject.mjs').Subject} subject
 * @param {number} count
 * @returns {import('./measure.mjs').Run}
 */
function singleOnce(subject, count) {
  const inputs = makeInputs(count);
  return withTempDb((path) =>
    withDb(subject, path, (db) => {
      const ms = timeMs(() => {
        for (const input of inputs) db.createOne(input);
      });
      return { value: perSecond(count, ms), details: { ms, tasks: count } };
    }),
  );
}

/** @type {Workload} */
export const singleCreates = {
  id: 'single',
  rows: (s) => [
    {
      id: 'single-creates',
      label: `single creates (${fmtCount(s.singleCreates)}), file`,
      unit: 'creates/s',
      better: 'higher',
    },
  ],
  measure(subjects, s) {
    return interleaved(
      subjects,
      singleCreates.rows(s),
      (subject) => singleOnce(subject, Math.min(500, s.singleCreates)),
      (subject) => ({ 'single-creates': singleOnce(subject, s.singleCreates) }),
    );
  },
};

/**
 * @param {import('./subject.mjs').Subject} subject
 * @param {number} count
 * @param {number} batchSize
 * @returns {import('./measure.mjs').Run}
 */
function batchOnce(subject, count, batchSize) {
  const batches = chunk(makeInputs(count), batchSize);
  return withTempDb((path) =>
    withDb(subject, path, (db) => {
      const ms = timeMs(() => {
        for (const batch of batches) db.createBatch(batch);
      });
      if (db.countPending() !== count) throw new Error(`${subject.name}: batch creates lost tasks`);
      return { value: perSecond(count, ms), details: { ms, tasks: count, batchSize } };
    }),
  );
}

/** @type {Workload} */
export const batchCreates = {
  id: 'batch',
  rows: (s) => [
    {
      id: 'batch-creates',
      label: `batch creates (${fmtCount(s.batchCreates)} in ${fmtCount(s.batchSize)}s), file`,
      unit: 'creates/s',
      better: 'higher',
    },
  ],
  measure(subjects, s) {
    return interleaved(
      subjects,
      batchCreates.rows(s),
      (subject) => batchOnce(subject, Math.min(5_000, s.batchCreates), s.batchSize),
      (subject) => ({ 'batch-creates': batchOnce(subject, s.batchCreates, s.batchSize) }),
    );
  },
};

/**
 * Pre-create `count` tasks in batches (not timed), then time claim→complete until the pool is empty.
 *
 * @param {import('./subject.mjs').Subject} subject
 * @param {number} count
 * @param {number} batchSize
 * @returns {import('./measure.mjs').Run}
 */
function cycleOnce(subject, count, batchSize) {
  const batches = chunk(makeInputs(count), batchSize);
  return withTempDb((path) =>
    withDb(subject, path, (db) => {
      for (const batch of batches) db.createBatch(batch);
      let done = 0;
      const ms = timeMs(() => {
        for (let task = db.claim('agent-1'); task !== null; task = db.claim('agent-1')) {
          db.complete(task.id, 'ok');
          done++;
        }
      });
      if (done !== count) throw new Error(`${subject.name}: the cycle completed ${done} of ${count} tasks`);
      return { value: perSecond(count, ms), details: { ms, tasks: count } };
    }),
  );
}

/** @type {Workload} */
export const cycle = {
  id: 'cycle',
  rows: (s) => [
    {
      id: 'cycle',
      label: `claim→complete cycle (${fmtCount(s.cycleTasks)} pre-created), file`,
      unit: 'cycles/s',
      better: 'higher',
    },
  ],
  measure(subjects, s) {
    return interleaved(
      subjects,
      cycle.rows(s),
      (subject) => cycleOnce(subject, Math.min(1_000, s.cycleTasks), s.batchSize),
      (subject) => ({ cycle: cycleOnce(subject, s.cycleTasks, s.batchSize) }),
    );
  },
};
