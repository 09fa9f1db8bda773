// A user's CommonJS module (compiled to require() calls): imports every public entry of every published
// package, runs the guide's Typical Flow, and checks that the errors of @omc/core/testing and of the other
// packages are instances of @omc/core's own classes, and its stores the DriverTaskStore of @omc/core/driver:
// one copy of core. Prints one JSON line.
import { ExecutorAgent } from '@omc/agents';
import { InvalidInputError, OmcError } from '@omc/core';
import { DriverTaskStore, runSync, type Steps, step } from '@omc/core/driver';
import { MemoryTaskStore } from '@omc/core/testing';
import * as sdk from '@omc/sdk';
import { CLAIM_ORDER_COLUMN } from '@omc/sql-kit';
import { PostgresTaskPool } from '@omc/store-postgres';
import { TaskPool, TaskPriority, TaskStatus } from '@omc/store-sqlite';
import { Swarm } from '@omc/swarm';

async function main(): Promise<void> {
  const taskPool = new TaskPool();
  const task = taskPool.createTask({
    title: 'Implement login API',
    description: 'Create JWT-based authentication endpoint',
    priority: TaskPriority.HIGH,
  });
  const claimed = taskPool.claimTask('agent-1');
  if (!claimed || claimed.id !== task.id) throw new Error('claimTask did not return the task just created');
  taskPool.updateTask(claimed.id, { status: TaskStatus.IN_PROGRESS });
  taskPool.updateTask(claimed.id, { status: TaskStatus.COMPLETED, result: 'Successfully implemented login endpoint' });

  const swarm = new Swarm(taskPool);
  swarm.registerAgent(new ExecutorAgent());
  taskPool.createTask({ title: 'Task 2', description: 'Work 2' });
  const summary = await swarm.start({ stopWhenEmpty: true });

  let poolError: unknown;
  try {
    taskPool.createTask({ title: '', description: 'no title' });
  } catch (error) {
    poolError = error;
  }
  let testingError: unknown;
  try {
    await new MemoryTaskStore().createTask({ title: '', description: 'no title' });
  } catch (error) {
    testingError = error;
  }

  function* doubled(value: number): Steps<number> {
    return 2 * (yield* step(value));
  }
  const postgresPool = new PostgresTaskPool('postgres://omc@127.0.0.1:1/nowhere');
  const driverKit =
    new MemoryTaskStore() instanceof DriverTaskStore &&
    taskPool instanceof DriverTaskStore &&
    postgresPool instanceof DriverTaskStore &&
    runSync(doubled(21)) === 42;
  await postgresPool.close();

  console.log(
    JSON.stringify({
      stats: taskPool.getStats(),
      swarmCompleted: summary.completed,
      testingErrorCode: testingError instanceof Error ? (testingError as OmcError).code : undefined,
      testingErrorIsCoreError: testingError instanceof InvalidInputError && testingError instanceof OmcError,
      poolErrorIsCoreError: poolError instanceof InvalidInputError && poolError instanceof OmcError,
      sdkSharesCore: sdk.OmcError === OmcError,
      driverKit,
      sqlKitSeqColumn: CLAIM_ORDER_COLUMN.seq,
    }),
  );
  taskPool.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
