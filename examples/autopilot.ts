// Autopilot mode: architect → executor → QA tester → security reviewer on one goal, as four dependent tasks
// in the pool. Run it again with the same goal and it returns the finished run instead of redoing it.
import { OhMyCopilot } from '@omc/sdk';

const omc = new OhMyCopilot({ dbPath: './autopilot.db' });
const run = await omc.autopilot('Build authentication system');
console.log(`autopilot ${run.status}`);
for (const stage of run.stages) console.log(`${stage.role}: ${stage.status} (${stage.model})`);

const again = await omc.autopilot('Build authentication system');
console.log(`again: same run ${again.runId === run.runId}, ${omc.getTaskPool().getStats().total} tasks in the pool`);
omc.close();
