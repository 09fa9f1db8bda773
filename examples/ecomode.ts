// Ecomode: one task, one executor on the cheapest model of its provider (gpt-4.1-nano on OpenAI), one call
// at a time. Offline it is the scripted model, like every mode.
import { OhMyCopilot } from '@omc/sdk';

const omc = new OhMyCopilot({ dbPath: './ecomode.db' });
const result = await omc.eco('Rename the variable tmp to retryCount in src/retry.ts');
console.log(`${result.status} by ${result.model}: ${result.content?.replace(/\s+/g, ' ').slice(0, 60)}`);
console.log(`tokens: ${result.usage?.totalTokens}, pool: ${JSON.stringify(omc.getTaskPool().getStats())}`);
omc.close();
