#!/usr/bin/env node
// The guide's Multi-Agent Example on a SQLite file: 5 executors compete for 20 tasks, the first 5 HIGH.
// Kill it (Ctrl-C, or SIGKILL) halfway and start it again: it resumes. Finished tasks are not redone,
// and tasks a killed run held come back when their short lease runs out.
import { parseArgs } from 'node:util';
import {
  ExecutorAgent,
  handleSignals,
  OhMyCopilot,
  parseAgentResult,
  resolveModel,
  TaskPriority,
  TaskStatus,
} from '@omc/sdk';
import { showProgress, tokensInResults } from './progress.mjs';
import { formatTable } from './table.mjs';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '5' },
    tasks: { type: 'string', default: '20' },
    db: { type: 'string', default: './swarm-tasks.db' },
    provider: { type: 'string' },
    model: { type: 'string' },
    // The offline model answers after this many ms, so there is something to watch.
    delay: { type: 'string', default: '500' },
  },
});
const agentCount = positiveInteger('--agents', values.agents);
const taskCount = positiveInteger('--tasks', values.tasks);
const delayMs = positiveInteger('--delay', values.delay, 0);

// Short leases: a run killed with SIGKILL leaves its tasks CLAIMED; the next run gets them back within
// seconds instead of the default five minutes. The swarm heartbeats while an agent works.
const omc = new OhMyCopilot({ dbPath: values.db, pool: { leaseMs: 3_000 } });
const swarm = omc.getSwarm();
const taskPool = omc.getTaskPool();

let model;
try {
  model = resolveModel({ provider: values.provider, model: values.model, delayMs });
} catch (error) {
  console.error(error.message);
  process.exit(2);
}

// Register executor agents (five by default): five workers, executor-1 … executor-5.
for (let i = 0; i < agentCount; i++) {
  swarm.registerAgent(new ExecutorAgent({ model }));
}

// Add tasks. The keys make a second run find the first run's tasks instead of adding twenty more.
const before = taskPool.getStats();
for (let i = 0; i < taskCount; i++) {
  taskPool.createTask({
    title: `Task ${i + 1}`,
    description: `Implementation work for task ${i + 1}`,
    priority: i < 5 ? TaskPriority.HIGH : TaskPriority.MEDIUM,
    idempotencyKey: `multi-agent-example:task-${i + 1}`,
  });
}
const finishedBefore = before.completed + before.failed + before.cancelled;
console.log(`Pool ${values.db} · model: ${model.label} · ${agentCount} agents`);
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
stopProgress();

const stats = taskPool.getStats();
const finishedTasks = taskPool.getTasks({ status: TaskStatus.COMPLETED });
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
  `This run: ${summary.completed} completed in ${(summary.elapsedMs / 1000).toFixed(1)} s ` +
    `(${summary.throughputPerSec.toFixed(1)} tasks/s), ${summary.tokens.totalTokens} tokens, ` +
    `$${summary.costUsd.toFixed(4)}; stopped: ${summary.reason}`,
);
console.log(
  `All runs: ${tokensInResults(finishedTasks)} tokens recorded in results · model: ${[...models].join(', ')}`,
);
console.log(`Stats: ${JSON.stringify(stats)}`);
omc.close();
process.exitCode = summary.reason === 'drained' ? 0 : 130;

function positiveInteger(flag, text, min = 1) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    console.error(`${flag} must be an integer ≥ ${min}, got ${text}`);
    process.exit(2);
  }
  return value;
}
