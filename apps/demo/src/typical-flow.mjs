#!/usr/bin/env node
// The guide's "Typical Flow" on a SQLite file (or PostgreSQL, --db postgres://…): create, claim, start,
// complete or fail, then stats. Run it twice: the pool keeps the tasks of earlier runs, which is the point
// of a persistent pool. Every call is awaited, so the same lines run on either store.
import { openTaskStore, redactStoreUrl, TaskPriority, TaskStatus } from '@omc/sdk';
import { orExit, readCommandLine } from './command-line.mjs';
import { oneLine } from './terminal.mjs';

const PROGRAM = 'typical-flow';
const { db, agents: agentCount } = readCommandLine({
  name: PROGRAM,
  script: 'typical-flow',
  about:
    "The guide's Typical Flow by hand: create tasks, claim them in priority order, start, complete or fail\n" +
    'them, then the stats. The pool keeps the tasks of earlier runs.',
  options: {
    db: {
      kind: 'store',
      default: './typical-flow.db',
      help: 'the pool, kept between runs: a SQLite file, or postgres://user@host/db (?schema=name for a schema)',
    },
    agents: { kind: 'integer', min: 1, max: 1000, default: 3, help: 'agents taking turns to claim' },
  },
});

const taskPool = await orExit(PROGRAM, () => openTaskStore(db));
try {
  const before = await taskPool.getStats();
  console.log(`Pool ${redactStoreUrl(db)}: ${before.total} task(s) from earlier runs`);

  // 1. Create tasks (PENDING): the guide's, plus a few of each priority.
  const work = [
    {
      title: 'Implement login API',
      description: 'Create JWT-based authentication endpoint',
      priority: TaskPriority.HIGH,
    },
    {
      title: 'Fix production outage',
      description: 'Database connection pool exhausted',
      priority: TaskPriority.CRITICAL,
    },
    {
      title: 'Add user profile page',
      description: 'Display user information and settings',
      priority: TaskPriority.MEDIUM,
    },
    { title: 'Clean up old logs', description: 'Remove logs older than 90 days', priority: TaskPriority.LOW },
    {
      title: 'Generate report',
      description: 'Create monthly sales report',
      metadata: { reportType: 'sales', period: '2024-01' },
    },
  ];
  for (const input of work) await taskPool.createTask(input);
  console.log(`Created ${work.length} tasks`);

  // 2-4. Agents take turns claiming: highest priority first, oldest first within a priority.
  let turn = 0;
  for (let task = await taskPool.claimTask('agent-1'); task; ) {
    const agent = task.assignedAgent;
    await taskPool.updateTask(task.id, { status: TaskStatus.IN_PROGRESS });
    const outcome = task.title.includes('outage')
      ? await taskPool.updateTask(task.id, { status: TaskStatus.FAILED, error: 'Database connection failed' })
      : await taskPool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: `Done by ${agent}` });
    const priority = Object.keys(TaskPriority).find((name) => TaskPriority[name] === task.priority);
    // Earlier runs' tasks come back from the file too: their titles are shown without control sequences.
    console.log(`  ${agent} ${outcome.status.padEnd(9)} [${priority}] ${oneLine(task.title)}`);
    turn += 1;
    task = await taskPool.claimTask(`agent-${(turn % agentCount) + 1}`);
  }

  const stats = await taskPool.getStats();
  console.log('Stats:', JSON.stringify(stats));
  console.log(`Progress: ${stats.completed + stats.failed}/${stats.total} finished, ${stats.pending} pending`);
} finally {
  await taskPool.close();
}
