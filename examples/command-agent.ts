// A CommandAgent runs a program per task with an argv array (no shell): the task's description reaches the
// program as one argument, verbatim, whatever it contains. Here the program is this Node itself.
import { CommandAgent } from '@omc/agents';
import { TaskPool, TaskStatus } from '@omc/store-sqlite';
import { Swarm } from '@omc/swarm';

const pool = new TaskPool('./commands.db');
const shout = new CommandAgent({
  name: 'shout',
  command: process.execPath,
  // `--` ends node's options: a description such as `--require=x.js` stays an argument (without it the
  // agent refuses such a task with UnsafeArgumentError rather than let node load the file).
  args: ['-e', 'console.log(process.argv[1].toUpperCase())', '--', '{{task.description}}'],
  timeoutMs: 10_000,
});
pool.createTask({ title: 'greet', description: 'hello; rm -rf / $(whoami)' });
pool.createTask({ title: 'quote', description: `it's "quoted"` });

const swarm = new Swarm(pool);
swarm.registerAgent(shout);
await swarm.start({ stopWhenEmpty: true });
for (const task of pool.getTasks({ status: TaskStatus.COMPLETED })) console.log(`${task.title}: ${task.result}`);
pool.close();
