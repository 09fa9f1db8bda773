// Live progress of a swarm: one line per worker, redrawn in place on a terminal, or a plain log line per
// event when the output is not a terminal (CI, a pipe, a file) or the user asked for no colour.
import { parseAgentResult } from '@omc/sdk';
import { oneLine, safeText } from './terminal.mjs';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';

/**
 * Show `swarm`'s progress on `out` until the returned function is called (await what it returns: the
 * board's last drawing reads the pool's stats once more).
 * @param {import('@omc/sdk').Swarm} swarm
 * @param {{ out?: NodeJS.WriteStream, pool: import('@omc/sdk').TaskStore, label: string }} options The board counts
 *   finished tasks from the pool's stats, so tasks finished by an earlier run count too. Any store: its
 *   stats are awaited.
 * @returns {() => Promise<void>}
 */
export function showProgress(swarm, { out = process.stdout, pool, label }) {
  return plainOutput(out) ? plainLog(swarm, out) : liveBoard(swarm, out, pool, label);
}

/**
 * True when `out` must get plain lines, no escape sequences at all: not a terminal, `NO_COLOR` set
 * (https://no-color.org; the board's colours and cursor moves go together) or a dumb terminal.
 * @param {NodeJS.WriteStream} out
 */
export function plainOutput(out, env = process.env) {
  return !out.isTTY || Boolean(env.NO_COLOR) || env.TERM === 'dumb';
}

function plainLog(swarm, out) {
  const write = (line) => out.write(`${line}\n`);
  const offs = [
    swarm.on('task:started', (e) => write(`[${oneLine(e.worker)}] started   ${oneLine(e.task.title)}`)),
    swarm.on('task:completed', (e) => {
      const tokens = e.usage ? `, ${e.usage.totalTokens} tokens` : '';
      write(`[${oneLine(e.worker)}] completed ${oneLine(e.task.title)} (${Math.round(e.durationMs)} ms${tokens})`);
    }),
    swarm.on('task:retried', (e) =>
      write(`[${oneLine(e.worker)}] retrying  ${oneLine(e.task.title)}: ${safeText(e.error)}`),
    ),
    swarm.on('task:failed', (e) =>
      write(`[${oneLine(e.worker)}] failed    ${oneLine(e.task.title)}: ${safeText(e.error)}`),
    ),
    swarm.on('task:released', (e) =>
      write(`[${oneLine(e.worker)}] released  ${oneLine(e.task.title)} (${oneLine(e.reason)})`),
    ),
    swarm.on('task:lease-lost', (e) =>
      write(`[${oneLine(e.worker)}] lost      ${oneLine(e.task.title)}: ${safeText(e.error.message)}`),
    ),
    swarm.on('task:reclaimed', (e) => write(`reclaimed ${e.requeued} task(s) from a stopped or crashed worker`)),
  ];
  return async () => {
    for (const off of offs) off();
  };
}

function liveBoard(swarm, out, pool, label) {
  const lastDone = new Map();
  let drawn = 0;
  const offs = [
    swarm.on('task:completed', (e) => lastDone.set(e.worker, `${GREEN}✓${RESET} ${oneLine(e.task.title)}`)),
    swarm.on('task:failed', (e) => lastDone.set(e.worker, `${RED}✗${RESET} ${oneLine(e.task.title)}`)),
    swarm.on('task:retried', (e) => lastDone.set(e.worker, `${YELLOW}↻${RESET} ${oneLine(e.task.title)}`)),
  ];
  // The pool may answer asynchronously (PostgreSQL): the board draws the last stats it read, and reads
  // the next ones in the background, one read at a time.
  let s = { total: 0, completed: 0, failed: 0, cancelled: 0 };
  let reading;
  const readStats = () => {
    reading ??= Promise.resolve()
      .then(() => pool.getStats())
      .then((read) => {
        s = read;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  const draw = () => {
    const { workers } = swarm.status();
    const stats = swarm.stats();
    const done = s.completed + s.failed + s.cancelled;
    const all = s.total;
    const width = 30;
    const filled = all === 0 ? width : Math.round((done / all) * width);
    const lines = [
      `${label}`,
      `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${all} done · ${stats.throughputPerSec.toFixed(1)} tasks/s · ${stats.tokens.totalTokens} tokens`,
      ...workers.map((w) => {
        const mine = stats.perAgent[w.name];
        const now = w.state === 'busy' ? `▶ ${oneLine(w.taskTitle ?? w.taskId)}` : `${DIM}idle${RESET}`;
        const last = lastDone.get(w.name) ?? '';
        return `  ${oneLine(w.name).padEnd(14)} ${String(mine?.completed ?? 0).padStart(3)} done  ${now.padEnd(40)} ${DIM}last:${RESET} ${last}`;
      }),
    ];
    // Move up over the previous board and redraw it, clearing each line's tail.
    if (drawn > 0) out.write(`\x1b[${drawn}F`);
    for (const line of lines) out.write(`${line}\x1b[K\n`);
    drawn = lines.length;
  };
  const timer = setInterval(() => {
    readStats().catch(() => {}); // a failed read leaves the last numbers up; the run reports real errors
    draw();
  }, 100);
  readStats().then(draw, () => {});
  return async () => {
    clearInterval(timer);
    await reading?.catch(() => {});
    await readStats().catch(() => {});
    draw();
    for (const off of offs) off();
  };
}

/** Sum the token usage recorded in the results of finished tasks (earlier runs included). */
export function tokensInResults(tasks) {
  let total = 0;
  for (const task of tasks) total += parseAgentResult(task.result).usage?.totalTokens ?? 0;
  return total;
}
