// Ultrawork mode: every item becomes a task in the pool, all run at once, each by its own agent (default:
// an executor on the model resolveModel() picks). The results come back in item order.
import { FunctionAgent, OhMyCopilot } from '@omc/sdk';

const omc = new OhMyCopilot({ dbPath: './ultrawork.db' });
const results = await omc.ultra([
  { title: 'Write the changelog' }, // an ExecutorAgent
  { title: 'Count the TODOs', agent: new FunctionAgent({ name: 'todo-counter', run: () => '3 TODOs' }) },
  { title: 'Check the licence', description: 'Is every dependency MIT or Apache-2.0?' },
]);
for (const result of results)
  console.log(`${result.title}: ${result.status}, ${result.content?.replace(/\s+/g, ' ').slice(0, 60)}`);
omc.close();
