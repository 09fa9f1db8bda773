// One worker host of the chaos runs (test/support/chaos-fleet.ts forks it; test/multi-host.test.ts,
// test/server-restart.test.ts and chaos/run.ts drive it). It uses the BUILT package, as another program on
// another machine would, with its own PostgresTaskPool and so its own connection pool.
//
// argv: one JSON object: { url, schema, agent, log, poolSize, batch, concurrency, workMs, idleMs, stuckMs,
//   opTimeoutMs, backoff }
// Each of `concurrency` loops: claim (claimTask, or claimTasks(agent, batch) with batch > 1) → startTask →
// "work" 0..workMs ms → completeTask(task, `${agent}:${leaseToken}`) (a batch: one completeTasks group). A
// task whose metadata says { failFirst: n } is failed with failTask on its first n attempts instead.
// Every step is appended to the log, one synchronous line each (a SIGKILL loses at most the line in flight),
// BEFORE each fenced write and AFTER it returns, with the time in ms at the end:
//   start <pid> <t> | claimed <id> <token> <attempts> <t> | attempt <id> <token> <t> | done <id> <token> <t>
//   readback <id> <token> <t> | lost <id> <token> <reason> <op> <t> | fail <id> <token> <t>
//   failed <id> <token> <status> <t> | error <op> <id|-> <code> <t> <message as JSON> | stop <t>
// A LeaseLostError is logged and the loop moves on. Any other error (a connection fault) is logged and the
// operation retried with backoff: a write whose outcome is unknown is retried with the same lease, and a
// refusal because the task is already finished is resolved by reading the task back ("readback": the
// first write had gone through). If no operation succeeds for stuckMs, or one takes longer than
// opTimeoutMs, the worker says so on stderr and exits non-zero: a worker never hangs silently.
// IPC: sends { ready } once the pool is open; { stop } finishes the tasks in hand and exits;
// { concurrency: n } starts more loops.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresTaskPool } from '@omc/store-postgres';

const options = JSON.parse(process.argv[2] ?? 'null');
if (!options?.url || !options.agent || !options.log || !process.send) {
  throw new Error('usage: fork worker.mjs <options as JSON> with IPC');
}
const { agent } = options;
const log = (line) => appendFileSync(options.log, `${line} ${Date.now()}\n`);
const fatal = (message) => {
  process.stderr.write(`${agent}: ${message}\n`);
  log(`fatal ${JSON.stringify(message)}`);
  process.exit(3);
};

let stopping = false;
let lastSuccess = Date.now();
let loops = 0;

process.on('message', (message) => {
  if (message?.stop) stopping = true;
  if (typeof message?.concurrency === 'number') while (loops < message.concurrency) startLoop();
});

setInterval(() => {
  if (Date.now() - lastSuccess > options.stuckMs) fatal(`no store operation succeeded for ${options.stuckMs} ms`);
}, 250).unref();

const LOST = Symbol('lost');

/** The error's stable code: an omc code (OMC_…) when the pool typed it, else whatever it carries. */
function codeOf(error) {
  return String(error?.code ?? error?.name ?? 'UNKNOWN');
}

/** Run `operation`; a LeaseLostError is LOST; any other error is logged and the operation retried. */
async function withRetry(op, id, operation, onLeaseLost) {
  let delay = 25;
  for (;;) {
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error(`${op} took over ${options.opTimeoutMs} ms`), { code: 'HANG' })),
          options.opTimeoutMs,
        );
      });
      const value = await Promise.race([operation(), timeout]);
      lastSuccess = Date.now();
      return value;
    } catch (error) {
      if (error?.code === 'HANG') fatal(`${op} ${id ?? ''} did not settle within ${options.opTimeoutMs} ms`);
      if (error?.code === 'OMC_LEASE_LOST') return onLeaseLost ? onLeaseLost(error) : LOST;
      if (error?.code === 'OMC_STORE_CLOSED' || error?.code === 'OMC_INVALID_INPUT') throw error;
      log(`error ${op} ${id ?? '-'} ${codeOf(error)} ${JSON.stringify(String(error?.message ?? error))}`);
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Whether the store holds this holder's result: the proof that an earlier, unacknowledged write went through. */
async function completedByMe(task, result) {
  const stored = await withRetry('getTask', task.id, () => pool.getTask(task.id));
  return stored?.status === 'completed' && stored.result === result && stored.leaseToken === task.leaseToken;
}

/** A fenced write of one task: retried through connection faults, a "finished" refusal read back. */
async function fenced(task, op, write, result) {
  let calls = 0;
  const value = await withRetry(
    op,
    task.id,
    () => {
      calls++;
      return write();
    },
    async (error) => {
      if (op === 'complete' && error.reason === 'finished' && calls > 1 && (await completedByMe(task, result))) {
        log(`readback ${task.id} ${task.leaseToken}`);
        return 'readback';
      }
      log(`lost ${task.id} ${task.leaseToken} ${error.reason} ${op}`);
      return LOST;
    },
  );
  return value;
}

const failFirstOf = (task) => Number(task.metadata?.failFirst ?? 0);
const resultOf = (task) => `${agent}:${task.leaseToken}`;

async function work(tasks) {
  const toComplete = [];
  for (const task of tasks) {
    if ((await fenced(task, 'start', () => pool.startTask(task))) === LOST) continue;
    await sleep(Math.floor(Math.random() * (options.workMs + 1)));
    if (task.attempts <= failFirstOf(task)) {
      log(`fail ${task.id} ${task.leaseToken}`);
      const outcome = await fenced(task, 'fail', () => pool.failTask(task, `planned failure ${task.attempts}`));
      if (outcome !== LOST) log(`failed ${task.id} ${task.leaseToken} ${outcome.status}`);
    } else toComplete.push(task);
  }
  if (toComplete.length === 0) return;
  if (tasks.length === 1) {
    const [task] = toComplete;
    log(`attempt ${task.id} ${task.leaseToken}`);
    const outcome = await fenced(task, 'complete', () => pool.completeTask(task, resultOf(task)), resultOf(task));
    if (outcome !== LOST && outcome !== 'readback') log(`done ${task.id} ${task.leaseToken}`);
    return;
  }
  for (const task of toComplete) log(`attempt ${task.id} ${task.leaseToken}`);
  const pending = new Map(toComplete.map((task) => [task.id, task]));
  // A group whose outcome is unknown is sent again with the same leases; what was refused as "finished"
  // on the second try is read back, exactly as for one task.
  let calls = 0;
  const outcomes = await withRetry('completeTasks', '-', () => {
    calls++;
    return pool.completeTasks([...pending.values()].map((task) => ({ lease: task, result: resultOf(task) })));
  });
  for (const outcome of outcomes) {
    const task = pending.get(outcome.id);
    if (outcome.ok) log(`done ${task.id} ${task.leaseToken}`);
    else if (outcome.error.reason === 'finished' && calls > 1 && (await completedByMe(task, resultOf(task)))) {
      log(`readback ${task.id} ${task.leaseToken}`);
    } else log(`lost ${task.id} ${task.leaseToken} ${outcome.error.reason} completeTasks`);
  }
}

async function loop() {
  while (!stopping) {
    const tasks =
      options.batch > 1
        ? await withRetry('claimTasks', '-', () => pool.claimTasks(agent, options.batch))
        : await withRetry('claimTask', '-', () => pool.claimTask(agent)).then((task) => (task ? [task] : []));
    for (const task of tasks) log(`claimed ${task.id} ${task.leaseToken} ${task.attempts}`);
    if (tasks.length > 0) await work(tasks);
    else {
      lastSuccess = Date.now();
      await sleep(options.idleMs);
    }
  }
}

const running = [];
function startLoop() {
  loops++;
  running.push(
    loop().catch((error) => {
      process.stderr.write(`${agent}: ${error?.stack ?? error}\n`);
      process.exit(1);
    }),
  );
}

log(`start ${process.pid}`);
const pool = await PostgresTaskPool.open(options.url, {
  schema: options.schema,
  poolSize: options.poolSize,
  ...(options.backoff ? { backoff: options.backoff } : {}),
});
process.send({ ready: agent });
for (let i = 0; i < options.concurrency; i++) startLoop();
while (running.length > 0) await running.shift();
await pool.close();
log('stop');
process.disconnect();
