/**
 * The throughput workloads: the guide's benchmark, single creates, batch creates, the claim→complete cycle.
 * Each one warms every subject up on a small run, then keeps the best of three timed runs per subject, each
 * on a fresh database, the subjects taking turns within each round.
 *
 * @module
 */
import { chunk, fmtCount, makeInputs } from './inputs.mjs';
import { GUIDE_RUNS, interleaved, perSecond, timeMs, withDb, withTempDb } from './measure.mjs';

/**
 * A row of the table.
 *
 * @typedef {object} RowSpec
 * @property {string} id Stable key in the JSON.
 * @property {string} label
 * @property {string} unit
 * @property {'higher' | 'lower'} better
 * @property {string[]} [only] The columns this row measures, when not every subject's (the others stay blank).
 */

/**
 * A workload: its rows, and how to measure them on every subject.
 *
 * @typedef {object} Workload
 * @property {string} id
 * @property {(sizes: import('./inputs.mjs').BenchSizes) => RowSpec[]} rows
 * @property {(subjects: import('./subject.mjs').Subject[], sizes: import('./inputs.mjs').BenchSizes, beforeLeases?: import('./subject.mjs').Subject) => import('./measure.mjs').BySubject | Promise<import('./measure.mjs').BySubject>} measure
 *   `beforeLeases` is omc as it was before leases, when it loaded; only the cycle uses it. Async workloads
 *   (the swarm) return a promise.
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
      GUIDE_RUNS,
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
 * How a cycle completes each claimed task: `guide`, `complete(id, result)` (omc `updateTask(id, { status:
 * COMPLETED, result })`), or `fenced`, `completeFenced(task, result)` (omc `completeTask(task, result)`).
 *
 * @typedef {'guide' | 'fenced'} Completion
 */

/**
 * Pre-create `count` tasks in batches (not timed), then time claim→complete until the pool is empty.
 *
 * @param {import('./subject.mjs').Subject} subject
 * @param {number} count
 * @param {number} batchSize
 * @param {Completion} [completion]
 * @returns {import('./measure.mjs').Run}
 */
function cycleOnce(subject, count, batchSize, completion = 'guide') {
  const batches = chunk(makeInputs(count), batchSize);
  return withTempDb((path) =>
    withDb(subject, path, (db) => {
      for (const batch of batches) db.createBatch(batch);
      let done = 0;
      /** @type {number} */
      let ms;
      if (completion === 'guide') {
        ms = timeMs(() => {
          for (let task = db.claim('agent-1'); task !== null; task = db.claim('agent-1')) {
            db.complete(task.id, 'ok');
            done++;
          }
        });
      } else {
        const { completeFenced } = db;
        if (completeFenced === undefined) throw new Error(`${subject.name} has no fenced completion`);
        ms = timeMs(() => {
          for (let task = db.claim('agent-1'); task !== null; task = db.claim('agent-1')) {
            completeFenced(task, 'ok');
            done++;
          }
        });
      }
      if (done !== count) throw new Error(`${subject.name}: the cycle completed ${done} of ${count} tasks`);
      if (db.countPending() !== 0) throw new Error(`${subject.name}: the cycle left tasks pending`);
      return { value: perSecond(count, ms), details: { ms, tasks: count } };
    }),
  );
}

/**
 * One series of cycle runs: a subject, how it completes, and where its figure goes in the table.
 *
 * @typedef {object} CycleLane
 * @property {string} name Unique among the lanes.
 * @property {import('./subject.mjs').Subject} subject
 * @property {Completion} completion
 * @property {string} column
 * @property {string} row
 */

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
    {
      id: 'cycle-fenced',
      label: 'claim→complete cycle, completeTask (fenced), file',
      unit: 'cycles/s',
      better: 'higher',
      only: ['omc', 'seam-base'],
    },
    {
      id: 'cycle-before-leases',
      label: 'claim→complete cycle, omc before leases (4569b53), file',
      unit: 'cycles/s',
      better: 'higher',
      only: ['omc'],
    },
  ],
  /**
   * Every subject on the guide path (row `cycle`), then, in the same rounds, each subject with leases on the
   * fenced path (row `cycle-fenced`) and omc before leases on the guide path (row `cycle-before-leases`), both
   * in the omc column.
   */
  measure(subjects, s, beforeLeases) {
    /** @type {CycleLane[]} */
    const lanes = [
      ...subjects.map((subject) => ({
        name: subject.name,
        subject,
        completion: /** @type {const} */ ('guide'),
        column: subject.name,
        row: 'cycle',
      })),
      ...subjects
        .filter((subject) => subject.hasLeases)
        .map((subject) => ({
          name: `${subject.name} completeTask`,
          subject,
          completion: /** @type {const} */ ('fenced'),
          column: subject.name,
          row: 'cycle-fenced',
        })),
      ...(beforeLeases
        ? [
            {
              name: beforeLeases.name,
              subject: beforeLeases,
              completion: /** @type {const} */ ('guide'),
              column: 'omc',
              row: 'cycle-before-leases',
            },
          ]
        : []),
    ];
    const byLane = interleaved(
      lanes,
      [{ id: 'cycle', better: 'higher' }],
      (lane) => cycleOnce(lane.subject, Math.min(1_000, s.cycleTasks), s.batchSize, lane.completion),
      (lane) => ({ cycle: cycleOnce(lane.subject, s.cycleTasks, s.batchSize, lane.completion) }),
    );
    /** @type {import('./measure.mjs').BySubject} */
    const result = {};
    for (const lane of lanes) {
      const measured = byLane[lane.name];
      const cell =
        'error' in measured && typeof measured.error === 'string' ? { error: measured.error } : measured.cycle;
      const column = /** @type {import('./measure.mjs').Measured} */ (result[lane.column] ?? {});
      column[lane.row] = /** @type {import('./measure.mjs').Run} */ (cell);
      result[lane.column] = column;
    }
    return result;
  },
};
