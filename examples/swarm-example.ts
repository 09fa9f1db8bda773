// The guide's Multi-Agent Example, as written, on ./swarm-tasks.db: five executor agents compete for twenty
// tasks. With no model configured the agents answer with the offline scripted model.
import { ExecutorAgent, OhMyCopilot, parseAgentResult, TaskPriority, TaskStatus } from '@omc/sdk';

const omc = new OhMyCopilot({ dbPath: './swarm-tasks.db' });
const swarm = omc.getSwarm();
const taskPool = omc.getTaskPool();

// Register 5 executor agents
for (let i = 0; i < 5; i++) {
  swarm.registerAgent(new ExecutorAgent());
}

// Add 20 tasks
for (let i = 0; i < 20; i++) {
  taskPool.createTask({
    title: `Task ${i + 1}`,
    description: `Implementation work for task ${i + 1}`,
    priority: i < 5 ? TaskPriority.HIGH : TaskPriority.MEDIUM,
  });
}

// Start swarm - agents will compete for tasks
const summary = await swarm.start({
  maxConcurrency: 5, // All 5 agents work simultaneously
  pollInterval: 1000, // Check for new tasks every second
  stopWhenEmpty: true, // Stop when all tasks complete
});

console.log(`completed ${summary.completed} of ${taskPool.getStats().total} tasks`);
for (const [worker, stats] of Object.entries(summary.perAgent).sort()) console.log(`${worker}: ${stats.completed}`);
const [first] = taskPool.getTasks({ status: TaskStatus.COMPLETED, limit: 1 });
console.log(`model: ${parseAgentResult(first?.result).model}`);
omc.close();
