#!/usr/bin/env node
// The guide's Multi-Agent Example on a SQLite file (or PostgreSQL, with --db postgres://…): 5 executors
// compete for 20 tasks, the first 5 HIGH. Kill it (Ctrl-C, or SIGKILL) halfway and start it again: it
// resumes. Finished tasks are not redone, and tasks a killed run held come back when their short lease
// runs out. The pool is used through the TaskStore contract, awaiting every call, so both stores work.
import {
  BUILT_IN_PRICES_SOURCE,
  DEFAULT_MODEL_TIMEOUT_MS,
  ExecutorAgent,
  handleSignals,
  OhMyCopilot,
  parseAgentResult,
  readPrices,
  redactStoreUrl,
  resolveModel,
  TaskPriority,
  TaskStatus,
} from '@omc/sdk';
import { MAX_MS, orExit, readCommandLine } from './command-line.mjs';
import { showProgress, tokensInResults } from './progress.mjs';
import { formatTable } from './table.mjs';
import { oneLine } from './terminal.mjs';

const PROGRAM = 'swarm-demo';
const options = readCommandLine({
  name: PROGRAM,
  script: 'start',
  about:
    "The guide's Multi-Agent Example: executor agents compete for tasks in a SQLite file or a PostgreSQL\n" +
    'database, the first five HIGH priority. Stop it (Ctrl-C, or kill -9) and run it again: it resumes\n' +
    'where it stopped.',
  options: {
    agents: { kind: 'integer', min: 1, max: 1000, default: 5, help: 'executor agents working at once' },
    tasks: { kind: 'integer', min: 1, max: 1_000_000, default: 20, help: 'tasks in the pool' },
    db: {
      kind: 'store',
      env: 'OMC_DB',
      default: './swarm-tasks.db',
      help: 'the pool, kept between runs: a SQLite file, or postgres://user@host/db (?schema=name for a schema)',
    },
    provider: {
      kind: 'string',
      value: 'NAME',
      choices: ['scripted', 'openai', 'openai-compatible', 'ollama'],
      help: 'where the model runs',
      defaultText: 'from the environment (see README), else scripted',
    },
    model: { kind: 'string', value: 'ID', help: "the provider's model id" },
    // The offline model answers after this many ms, so there is something to watch.
    delay: { kind: 'integer', min: 0, max: MAX_MS, default: 500, help: 'ms the offline model takes per answer' },
    timeout: {
      kind: 'integer',
      min: 1,
      max: MAX_MS,
      default: DEFAULT_MODEL_TIMEOUT_MS,
      help: 'ms a model call may take before the attempt fails (and is retried)',
    },
    prices: {
      kind: 'path',
      help: 'JSON prices, USD per 1M tokens: {"openai:gpt-4.1-mini": {"inputPer1M": 0.4, "outputPer1M": 1.6}}',
    },
  },
});
const { agents: agentCount, tasks: taskCount, delay: delayMs, db, timeout: timeoutMs } = options;

const prices = options.prices === undefined ? undefined : orExit(PROGRAM, () => readPrices(options.prices));
const model = orExit(PROGRAM, () =>
  resolveModel({ provider: options.provider, model: options.model, delayMs, prices }),
);
// Short leases: a run killed with SIGKILL leaves its tasks CLAIMED; the next run gets them back within
// seconds instead of the default five minutes. The swarm heartbeats while an agent works.
const omc = await orExit(PROGRAM, () => OhMyCopilot.open({ db, pool: { leaseMs: 3_000 } }));
const swarm = omc.getSwarm();
const taskPool = omc.getTaskPool();

// Register executor agents (five by default): five workers, executor-1 … executor-5.
for (let i = 0; i < agentCount; i++) {
  swarm.registerAgent(orExit(PROGRAM, () => new ExecutorAgent({ model, timeoutMs })));
}

// Add tasks. The keys make a second run find the first run's tasks instead of adding twenty more.
const before = await taskPool.getStats();
for (let i = 0; i < taskCount; i++) {
  await taskPool.createTask({
    title: `Task ${i + 1}`,
    description: `Implementation work for task ${i + 1}`,
    priority: i < 5 ? TaskPriority.HIGH : TaskPriority.MEDIUM,
    idempotencyKey: `multi-agent-example:task-${i + 1}`,
  });
}
const finishedBefore = before.completed + before.failed + before.cancelled;
console.log(`Pool ${redactStoreUrl(db)} · model: ${model.label} · ${agentCount} agents`);
if (before.total > 0) {
  console.log(`Resuming: ${finishedBefore} of ${before.total} task(s) already finished by an earlier run`);
}

const stopProgress = showProgress(swarm, {
  label: `Multi-Agent Example · ${model.label}`,
  pool: taskPool,
});
const releaseSignals = handleSignals(swarm);

// Start swarm - agents will compete for tasks
const summary = await swarm.start({
  maxConcurrency: agentCount, // All agents work simultaneously
  pollInterval: 1000, // Check for new tasks every second (other processes' tasks wake it at once)
  stopWhenEmpty: true, // Stop when all tasks complete
});
releaseSignals();
await stopProgress();

const stats = await taskPool.getStats();
const finishedTasks = await taskPool.getTasks({ status: TaskStatus.COMPLETED });
console.log('');
console.log(
  formatTable(
    ['agent', 'completed', 'failed', 'retried', 'released', 'tokens', 'busy s'],
    Object.entries(summary.perAgent).map(([name, a]) => [
      name,
      a.completed,
      a.failed,
      a.retried,
      a.released,
      a.tokens.totalTokens,
      Number((a.busyMs / 1000).toFixed(1)),
    ]),
  ),
);
console.log('');
console.log(
  formatTable(
    ['status', 'tasks'],
    [
      ['pending', stats.pending],
      ['claimed', stats.claimed],
      ['in progress', stats.inProgress],
      ['completed', stats.completed],
      ['failed', stats.failed],
      ['cancelled', stats.cancelled],
      ['total', stats.total],
    ],
  ),
);
console.log('');
const models = new Set(finishedTasks.map((t) => parseAgentResult(t.result).model).filter(Boolean));
console.log(
  `This run: ${summary.completed} completed, ${summary.failed} failed in ${(summary.elapsedMs / 1000).toFixed(1)} s ` +
    `(${summary.throughputPerSec.toFixed(1)} tasks/s), ${summary.tokens.totalTokens} tokens, ` +
    `${costText(summary.costUsd)}; stopped: ${summary.reason}`,
);
console.log(
  `All runs: ${tokensInResults(finishedTasks)} tokens recorded in results · model: ${[...models].join(', ') || '-'}`,
);
console.log(`Stats: ${JSON.stringify(stats)}`);
if (stats.failed > 0) {
  // The first error says why, e.g. a model server refusing every call; the rest are usually the same.
  const [first] = await taskPool.getTasks({ status: TaskStatus.FAILED });
  console.log(
    `FAILED: ${stats.failed} of ${stats.total} task(s) failed (${summary.failed} in this run); exit code 1. ` +
      `First error: ${oneLine((first?.error ?? '').split('\n')[0])}`,
  );
}
await omc.close();
process.exitCode = summary.reason !== 'drained' ? 130 : stats.failed > 0 ? 1 : 0;

/** The run's cost, and what it rests on: an unknown price is said, never shown as $0. */
function costText(costUsd) {
  if (model.price === undefined) {
    const where = options.prices === undefined ? '' : ` in ${options.prices}`;
    return `cost unknown (no price for ${model.label}${where}; pass --prices FILE.json)`;
  }
  const dollars = `$${costUsd.toFixed(4)}`;
  switch (model.priceSource) {
    case 'built-in':
      return `${dollars} at ${BUILT_IN_PRICES_SOURCE} (pass --prices FILE.json for current ones)`;
    case 'given':
      return `${dollars} at the prices from ${options.prices ?? 'OMC_PRICES'}`;
    default:
      return `${dollars} (${model.offline ? 'offline' : 'local'} model: no per-token cost)`;
  }
}
