// The modes make their role agents through `roleAgents`: replace one (here the QA tester, with a function
// that runs no model) to plug in your own agent, a CommandAgent, or a test double.
import { FunctionAgent, OhMyCopilot } from '@omc/sdk';

const omc = new OhMyCopilot({
  dbPath: './mode-agents.db',
  roleAgents: {
    qaTester: () =>
      new FunctionAgent({
        name: 'qa-by-rule',
        run: (task, { dependencies }) => `checked ${dependencies.length} earlier stage(s) of "${task.description}"`,
      }),
  },
});
const run = await omc.autopilot('Add rate limiting to the login route');
for (const stage of run.stages) console.log(`${stage.role}: ${stage.content?.replace(/\s+/g, ' ').slice(0, 60)}`);
omc.close();
