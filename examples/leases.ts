// A claim is a lease. A worker that stops heartbeating loses its task to the next claim, and when it wakes
// up late its write is refused: the result is written once. The clock is injected so nothing sleeps.
import { LeaseLostError, TaskPool } from '@omc/store-sqlite';

let now = Date.now();
const pool = new TaskPool('./leases.db', { leaseMs: 30_000, clock: { now: () => now } });
pool.createTask({ title: 'Send report', description: 'Weekly report' });

const slow = pool.claimTask('worker-1');
if (!slow) throw new Error('nothing to claim');
pool.startTask(slow);
console.log(`worker-1 holds "${slow.title}", token ${slow.leaseToken}`);

now += 31_000; // worker-1 hangs past its lease without a heartbeat
const fast = pool.claimTask('worker-2');
if (!fast) throw new Error('the expired lease was not reclaimed');
console.log(`worker-2 took it over, token ${fast.leaseToken}, attempt ${fast.attempts}`);
pool.completeTask(fast, 'sent by worker-2');

try {
  pool.completeTask(slow, 'sent by worker-1'); // too late
} catch (error) {
  if (!LeaseLostError.isInstance(error)) throw error;
  console.log(`worker-1 refused: ${error.code}`);
}
console.log(`result: ${pool.getTask(slow.id)?.result}`);
pool.close();
