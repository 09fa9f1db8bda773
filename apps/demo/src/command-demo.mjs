#!/usr/bin/env node
// Non-LLM work through the same pool: real programs run by CommandAgent. Each check is a task; the
// task's data reaches the program as one argv element, never pasted into a shell string.
import { CommandAgent, handleSignals, OhMyCopilot, TaskPriority, TaskStatus } from '@omc/sdk';
import { orExit, readCommandLine } from './command-line.mjs';
import { showProgress } from './progress.mjs';
import { formatTable } from './table.mjs';
import { safeText } from './terminal.mjs';

const PROGRAM = 'command-demo';
const { db } = readCommandLine({
  name: PROGRAM,
  script: 'commands',
  about:
    'Real programs run by CommandAgent through the pool: which tools are installed, how full the disks are,\n' +
    'and a check that hangs and is killed at its 1 s timeout. Two checks fail on purpose (a tool that is not\n' +
    'installed, the hanging one); the exit code is 0 when the others pass.',
  options: {
    db: {
      kind: 'store',
      default: './command-checks.db',
      help: 'the pool, kept between runs: a SQLite file, or postgres://user@host/db (?schema=name for a schema)',
    },
  },
});

const omc = await orExit(PROGRAM, () => OhMyCopilot.open({ db, pool: { leaseMs: 3_000, maxAttempts: 1 } }));
const swarm = omc.getSwarm();
const taskPool = omc.getTaskPool();

// "Is this tool installed, and which version?" The script is fixed; the tool name is its argument $1.
const toolCheck = new CommandAgent({
  name: 'tool-check',
  capabilities: ['tool'],
  command: 'sh',
  args: [
    '-c',
    'command -v "$1" >/dev/null || { echo "$1: not installed" >&2; exit 3; }; "$1" --version',
    'check',
    '{{metadata.tool}}',
  ],
  timeoutMs: 10_000,
});
// "How full is this disk?" df's own output is the result.
const diskCheck = new CommandAgent({
  name: 'disk-check',
  capabilities: ['disk'],
  command: 'df',
  args: ['-P', '-h', '{{metadata.path}}'],
  timeoutMs: 10_000,
});
// A check that hangs, to show the timeout killing it (and the processes it started).
const slowCheck = new CommandAgent({
  name: 'slow-check',
  capabilities: ['slow'],
  command: 'sh',
  args: ['-c', 'sleep 30 & sleep 30'],
  timeoutMs: 1_000,
});
for (const agent of [toolCheck, toolCheck, diskCheck, slowCheck]) swarm.registerAgent(agent);

const checks = [
  ...['node', 'git', 'pnpm', 'python3', 'no-such-tool'].map((tool) => ({
    title: `${tool} is installed`,
    description: `Check that ${tool} is on the PATH and print its version`,
    requires: ['tool'],
    metadata: { tool },
  })),
  ...['.', '/tmp'].map((path) => ({
    title: `disk space at ${path}`,
    description: `Report free space of the file system holding ${path}`,
    requires: ['disk'],
    metadata: { path },
  })),
  {
    title: 'a check that hangs',
    description: 'Runs longer than its 1 s timeout and is killed with its children',
    requires: ['slow'],
    priority: TaskPriority.LOW,
  },
];
await taskPool.createTasks(checks.map((c, i) => ({ ...c, idempotencyKey: `command-demo:${i}` })));

const stopProgress = showProgress(swarm, {
  label: 'Command checks',
  pool: taskPool,
});
const releaseSignals = handleSignals(swarm);
const summary = await swarm.start({ stopWhenEmpty: true });
releaseSignals();
await stopProgress();

const rows = (await taskPool.getTasks()).map((t) => {
  // A result's last line is its answer (df's figures under its header); an error's first line says what
  // failed, without the error class and task id the table already shows.
  // Controls go before the cut, so a sequence cut in half cannot leave its tail behind.
  const text = safeText((t.status === TaskStatus.COMPLETED ? t.result : t.error) ?? '');
  const lines = text.split('\n').filter((l) => l.trim());
  const line = t.status === TaskStatus.COMPLETED ? lines.at(-1) : lines[0]?.replace(/^\w+Error: Task [\w-]+: /, '');
  return [t.title, t.status, t.assignedAgent ?? '', (line ?? '').slice(0, 70)];
});
console.log('');
console.log(formatTable(['check', 'status', 'agent', 'output'], rows));
console.log(`\n${summary.completed} passed, ${summary.failed} failed in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
await omc.close();
