// A user's ES module: imports every public entry of every published package, runs the guide's Typical
// Flow on the pool and a small swarm, and prints what it saw as one JSON line. Type-checked strictly
// (skipLibCheck: false) under nodenext and bundler resolution, then run with node.
import { ExecutorAgent, FunctionAgent } from '@omc/agents';
import { InvalidInputError, OmcError, type Task } from '@omc/core';
import { DriverTaskStore, runSync, type Steps, step } from '@omc/core/driver';
import { FakeClock, MemoryTaskStore } from '@omc/core/testing';
import { OhMyCopilot } from '@omc/sdk';
import { inClaimOrder } from '@omc/sql-kit';
import { PostgresTaskPool } from '@omc/store-postgres';
import { TaskPool, TaskPriority, TaskStatus } from '@omc/store-sqlite';
import { Swarm } from '@omc/swarm';

const taskPool = new TaskPool();

// The guide's Typical Flow.
const task: Task = taskPool.createTask({
  title: 'Implement login API',
  description: 'Create JWT-based authentication endpoint',
  priority: TaskPriority.HIGH,
});
const claimed = taskPool.claimTask('agent-1');
if (!claimed || claimed.id !== task.id) throw new Error('claimTask did not return the task just created');
taskPool.updateTask(claimed.id, { status: TaskStatus.IN_PROGRESS });
taskPool.updateTask(claimed.id, { status: TaskStatus.COMPLETED, result: 'Successfully implemented login endpoint' });

// A swarm over the same pool: the offline executor and a function agent.
const swarm = new Swarm(taskPool);
swarm.registerAgent(new ExecutorAgent());
swarm.registerAgent(
  new FunctionAgent({ name: 'upper', capabilities: ['text'], run: (t) => t.description.toUpperCase() }),
);
for (let i = 0; i < 4; i++) taskPool.createTask({ title: `Task ${i + 1}`, description: `Work ${i + 1}` });
taskPool.createTask({ title: 'Shout', description: 'hello', requires: ['text'] });
const summary = await swarm.start({ maxConcurrency: 2, stopWhenEmpty: true });

let poolError: unknown;
try {
  taskPool.createTask({ title: '', description: 'no title' });
} catch (error) {
  poolError = error;
}

let testingError: unknown;
try {
  await new MemoryTaskStore({ clock: new FakeClock() }).createTask({ title: '', description: 'no title' });
} catch (error) {
  testingError = error;
}

// The adapter kit: the stores of @omc/core/testing and @omc/store-sqlite are the DriverTaskStore of
// @omc/core/driver (one copy of core), and its runner runs store logic written as steps.
function* doubled(value: number): Steps<number> {
  return 2 * (yield* step(value));
}
// A PostgreSQL pool connects on its first call, so one can be made (and closed) with no server at all.
const postgresPool = new PostgresTaskPool('postgres://omc@127.0.0.1:1/nowhere');
const driverKit =
  new MemoryTaskStore() instanceof DriverTaskStore &&
  taskPool instanceof DriverTaskStore &&
  postgresPool instanceof DriverTaskStore &&
  runSync(doubled(21)) === 42;
await postgresPool.close();

// The SQL kit orders any query builder by core's claim order (here a recorder stands in for Kysely's).
interface OrderRecorder {
  orderBy(column: string, direction: string): OrderRecorder;
}
const claimOrder: string[] = [];
const recorder: OrderRecorder = {
  orderBy(column, direction) {
    claimOrder.push(`${column} ${direction}`);
    return recorder;
  },
};
inClaimOrder(recorder);

const omc = new OhMyCopilot();
const eco = await omc.eco('Simple task');
omc.close();

console.log(
  JSON.stringify({
    stats: taskPool.getStats(),
    swarmCompleted: summary.completed,
    shouted: taskPool.getTasks({ status: TaskStatus.COMPLETED }).find((t) => t.title === 'Shout')?.result,
    ecoStatus: eco.status,
    poolErrorIsCoreError: poolError instanceof InvalidInputError && poolError instanceof OmcError,
    testingErrorIsCoreError: testingError instanceof InvalidInputError && testingError instanceof OmcError,
    driverKit,
    sqlKitClaimOrder: claimOrder.join(', '),
  }),
);
taskPool.close();
