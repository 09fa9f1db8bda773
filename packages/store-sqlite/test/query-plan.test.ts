/**
 * The pool's statements read indexes in order, whatever the table holds: `EXPLAIN QUERY PLAN` of the
 * claims (single, batch, capability-filtered), of `getTasks`, of `getStats` and of the dependency
 * bookkeeping, on an empty pool, 20 000 pending tasks, 20 000 finished ones and 20 000 with thousands
 * waiting for dependencies, with and without the statistics `ANALYZE` (or `PRAGMA optimize`) writes.
 * Plus the claim order for tasks of every priority created in one millisecond, `getStats` against the
 * rows themselves, and the statements a completion runs with and without dependants.
 */
import { FakeClock } from '@omc/core/testing';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreateTaskInput, type Task, type TaskFilter, TaskPool, TaskPriority, TaskStatus } from '../src/index.js';
import { rawDb, statsFromRows, usePools } from './helpers.js';

const pools = usePools();

/**
 * What the tests use of the pool's private prepared statements: the methods that run them, and the SQL
 * text (a `source` getter, or the better-sqlite3 statement's `source`).
 */
interface Shape {
  readonly source?: string;
  readonly statement?: { source: string };
  run(...args: unknown[]): unknown;
  get(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown;
}

function statementsOf(pool: TaskPool): Record<string, Shape> {
  // biome-ignore lint/complexity/useLiteralKeys: the driver's `statements` are private
  return (pool['driver'] as unknown as { statements: Record<string, Shape> }).statements;
}

/** The driver's private cache of `getTasks` statements, one per filter shape. */
function filterStatementsOf(pool: TaskPool): Map<string, { source: string }> {
  // biome-ignore lint/complexity/useLiteralKeys: the driver's statement cache is private
  return (pool['driver'] as unknown as { filterStatements: Map<string, { source: string }> }).filterStatements;
}

function sourceOf(shape: Shape): string {
  const source = typeof shape.source === 'string' ? shape.source : shape.statement?.source;
  if (typeof source !== 'string') throw new Error('cannot find the SQL text of a prepared statement');
  return source;
}

/** The prepared statements `work` runs on `pool` (fixed ones and `getTasks`' per-shape ones), as SQL. */
function statementsRunBy(pool: TaskPool, work: () => unknown): string[] {
  const filters = filterStatementsOf(pool) as unknown as Map<string, Shape>;
  const before = new Set(filters.values());
  const used = new Set<Shape>();
  const restore: (() => void)[] = [];
  for (const shape of [...Object.values(statementsOf(pool)), ...before]) {
    for (const method of ['run', 'get', 'all'] as const) {
      const original = shape[method];
      shape[method] = (...args: unknown[]) => {
        used.add(shape);
        return original.apply(shape, args);
      };
      restore.push(() => {
        shape[method] = original;
      });
    }
  }
  try {
    work();
  } finally {
    for (const undo of restore) undo();
  }
  // A getTasks shape seen for the first time is prepared and run by this call.
  for (const shape of filters.values()) if (!before.has(shape)) used.add(shape);
  return [...used].map(sourceOf);
}

/** NULL for every parameter of `source` (`?`, `@name`, `:name`, `$name`), outside quoted text. */
function nullParameters(source: string): unknown[] {
  let positional = 0;
  const named = new Set<string>();
  for (const match of source.matchAll(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\?\d*|[@:$]([A-Za-z_]\w*)/g)) {
    if (match[0].startsWith('?')) positional++;
    else if (match[1]) named.add(match[1]);
  }
  const args: unknown[] = Array.from({ length: positional }, () => null);
  if (named.size > 0) args.push(Object.fromEntries([...named].map((name) => [name, null])));
  return args;
}

/** The `detail` lines of `EXPLAIN QUERY PLAN` (parameters bound to NULL: without STAT4 plans ignore values). */
function planOf(db: Database.Database, source: string): string[] {
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${source}`);
  return (explain.all(...nullParameters(source)) as { detail: string }[]).map((row) => row.detail);
}

/** The index the claim names in its INDEXED BY clause. */
function claimIndexOf(pool: TaskPool): string {
  const match = /indexed by "?(\w+)"?/i.exec(sourceOf(statementsOf(pool).claim!));
  expect(match, 'the claim pins its index with INDEXED BY').not.toBeNull();
  return match![1]!;
}

/** Index-ordered: no sort step, and no full scan of the table rows. */
function expectIndexOrdered(plan: string[], label: string): void {
  const text = plan.join(' | ');
  expect(text, `${label}: ${text}`).not.toMatch(/TEMP B-TREE/);
  expect(
    plan.some((line) => /^SCAN tasks$/.test(line)),
    `${label} scans the whole table: ${text}`,
  ).toBe(false);
}

/** Reads the claim index (searching or walking it from the start), and nothing else of `tasks`. */
function expectOnClaimIndex(plan: string[], claimIndex: string, label: string): void {
  const text = plan.join(' | ');
  expectIndexOrdered(plan, label);
  const onTasks = plan.filter((line) => /^(SEARCH|SCAN) tasks\b/.test(line));
  const onIndex = new RegExp(`^(SEARCH|SCAN) tasks USING (COVERING )?INDEX ${claimIndex}\\b`);
  const byKey = /^SEARCH tasks USING INTEGER PRIMARY KEY/;
  expect(
    onTasks.every((line) => onIndex.test(line) || byKey.test(line)),
    `${label} should read ${claimIndex}: ${text}`,
  ).toBe(true);
  expect(
    onTasks.some((line) => onIndex.test(line)),
    `${label} should read ${claimIndex}: ${text}`,
  ).toBe(true);
}

const N = 20_000;
const PRIORITIES = [TaskPriority.LOW, TaskPriority.CRITICAL, TaskPriority.MEDIUM, TaskPriority.HIGH] as const;

function inputs(n: number, tag: string): CreateTaskInput[] {
  return Array.from({ length: n }, (_, i) => ({
    title: `${tag} ${i}`,
    description: `${tag} work ${i}`,
    priority: PRIORITIES[i % 4] as TaskPriority,
  }));
}

/** Finish every task in the pool with one raw UPDATE (the triggers keep the counters). */
function finishAll(pool: TaskPool): void {
  rawDb(pool)
    .prepare(
      "update tasks set status = case when seq % 10 = 0 then 'failed' else 'completed' end, assigned_agent = 'agent-0', started_at = created_at, completed_at = created_at + 1",
    )
    .run();
}

interface Dataset {
  name: string;
  build(pool: TaskPool): void;
}

/** The tables the plans are checked on. The ANALYZE ones write sqlite_stat1, as `PRAGMA optimize` may. */
const DATASETS: Dataset[] = [
  { name: 'an empty pool', build: () => {} },
  { name: `${N} pending tasks`, build: (pool) => void pool.createTasks(inputs(N, 'pending')) },
  {
    name: `${N} finished tasks and 10 pending`,
    build: (pool) => {
      pool.createTasks(inputs(N, 'done'));
      finishAll(pool);
      pool.createTasks(inputs(10, 'pending'));
    },
  },
  {
    name: `${N} pending tasks, after ANALYZE`,
    build: (pool) => {
      pool.createTasks(inputs(N, 'pending'));
      rawDb(pool).exec('ANALYZE');
    },
  },
  {
    name: `${N} finished tasks and 10 pending, after ANALYZE`,
    build: (pool) => {
      pool.createTasks(inputs(N, 'done'));
      finishAll(pool);
      pool.createTasks(inputs(10, 'pending'));
      rawDb(pool).exec('ANALYZE');
    },
  },
  {
    name: `${N} pending tasks, ${N / 4} of them waiting for dependencies, after ANALYZE`,
    build: (pool) => {
      const roots = pool.createTasks(inputs((3 * N) / 4, 'root'));
      pool.createTasks(
        inputs(N / 4, 'waiting').map((input, i) => ({ ...input, dependsOn: [roots[i % roots.length]!.id] })),
      );
      rawDb(pool).exec('ANALYZE');
    },
  },
  {
    name: `statistics from ${N} pending tasks, which have since finished, and 10 pending`,
    build: (pool) => {
      pool.createTasks(inputs(N, 'done'));
      rawDb(pool).exec('ANALYZE');
      finishAll(pool);
      pool.createTasks(inputs(10, 'pending'));
    },
  },
];

/** Pending shapes of getTasks, the guide's combined filter first. */
const PENDING_FILTERS: TaskFilter[] = [
  { status: TaskStatus.PENDING, priority: TaskPriority.CRITICAL },
  { status: TaskStatus.PENDING },
  { status: TaskStatus.PENDING, limit: 10, offset: 5 },
  { status: TaskStatus.PENDING, priority: TaskPriority.HIGH, limit: 3 },
  { status: TaskStatus.PENDING, assignedAgent: 'agent-1' },
];

/** Running-task shapes: read from the lease index (live work only), whatever the history holds. */
const HELD_FILTERS: TaskFilter[] = [
  { status: TaskStatus.IN_PROGRESS },
  { status: TaskStatus.CLAIMED, assignedAgent: 'agent-1' },
  { status: TaskStatus.IN_PROGRESS, priority: TaskPriority.HIGH, limit: 10, offset: 5 },
];

/** Shapes that walk the listing index: still in order, never a sort. */
const OTHER_FILTERS: TaskFilter[] = [
  {},
  { limit: 100, offset: 200 },
  { status: TaskStatus.COMPLETED },
  { status: TaskStatus.FAILED, limit: 10, offset: 10 },
  { assignedAgent: 'agent-0' },
  { priority: TaskPriority.LOW },
  { assignedAgent: 'agent-0', status: TaskStatus.COMPLETED, priority: TaskPriority.HIGH },
];

it('the claim is one UPDATE … RETURNING, pinned to a partial index over pending tasks only', () => {
  const pool = pools.memory();
  const claim = sourceOf(statementsOf(pool).claim!);
  // One statement: the write lock is taken before the read, so two processes cannot pick one task.
  expect(claim).toMatch(/^update "tasks" set .* returning /is);
  const claimIndex = claimIndexOf(pool);
  const index = rawDb(pool)
    .prepare("select sql from sqlite_master where type = 'index' and name = ?")
    .get(claimIndex) as { sql: string } | undefined;
  expect(index?.sql, `${claimIndex} exists`).toBeDefined();
  // Partial: only pending entries, so the history never enters it, nor tasks waiting for dependencies.
  expect(index!.sql).toMatch(/\bwhere\b.*'pending'/i);
  expect(index!.sql).toMatch(/\bwhere\b.*waiting_on = 0/i);
  expect(index!.sql).not.toMatch(/'completed'|'failed'|'cancelled'/i);
});

it('binds no LIMIT or OFFSET bare: the planner would prepare such a statement anew on every run', () => {
  const pool = pools.memory();
  const filters = [...PENDING_FILTERS, ...HELD_FILTERS, ...OTHER_FILTERS];
  const sources = [
    ...Object.values(statementsOf(pool)).map(sourceOf),
    ...filters.flatMap((filter) => statementsRunBy(pool, () => pool.getTasks(filter))),
  ];
  const first = pool.createTask({ title: 'cursor', description: 'd' });
  sources.push(...statementsRunBy(pool, () => pool.getTasks({ limit: 5, after: first.id })));
  for (const source of sources) expect(source).not.toMatch(/\b(limit|offset) [?@:$]/i);
  expect(sources.some((source) => /limit cast\(\? as integer\)/i.test(source))).toBe(true);
});

for (const dataset of DATASETS) {
  describe(`plans on ${dataset.name}`, () => {
    // Built once: the checks below only read (the claim test claims one task, last).
    let pool: TaskPool;
    let claimIndex: string;
    beforeAll(() => {
      pool = new TaskPool(':memory:');
      dataset.build(pool);
      claimIndex = claimIndexOf(pool);
    });
    afterAll(() => pool.close());

    it('getTasks with a PENDING filter merges the claim index, in order, with the delayed and waiting tasks', () => {
      for (const filter of PENDING_FILTERS) {
        const [source, ...more] = statementsRunBy(pool, () => pool.getTasks(filter));
        expect(more).toEqual([]);
        const plan = planOf(rawDb(pool), source!);
        const label = `getTasks(${JSON.stringify(filter)})`;
        const text = plan.join(' | ');
        // Ready tasks come from the claim index in order, waiting ones from theirs, in order too; only the
        // delayed ones (their own index, usually few) may be sorted; the three are merged without sorting
        // the whole.
        const [ready = '', delayed = '', waiting = ''] = text.split(' | RIGHT | ');
        expect
          .soft(text, `${label} merges: ${text}`)
          .toMatch(/^MERGE \(UNION ALL\) \| LEFT \| MERGE \(UNION ALL\) \| LEFT \| /);
        expect.soft(ready, `${label} sorts ready tasks: ${text}`).not.toMatch(/TEMP B-TREE/);
        expect
          .soft(ready, `${label} should read ${claimIndex}, reads: ${text}`)
          .toMatch(new RegExp(`(SEARCH|SCAN) tasks USING (COVERING )?INDEX ${claimIndex}\\b`));
        expect
          .soft(delayed, `${label} reads delayed tasks: ${text}`)
          .toMatch(/USING (COVERING )?INDEX idx_tasks_delayed\b/);
        expect
          .soft(waiting, `${label} reads waiting tasks: ${text}`)
          .toMatch(/USING (COVERING )?INDEX idx_tasks_waiting\b/);
        expect.soft(waiting, `${label} sorts waiting tasks: ${text}`).not.toMatch(/TEMP B-TREE/);
      }
    });

    it('getTasks for claimed or in-progress tasks reads only the lease index (live work), never the history', () => {
      for (const filter of HELD_FILTERS) {
        const [source] = statementsRunBy(pool, () => pool.getTasks(filter));
        const plan = planOf(rawDb(pool), source!).join(' | ');
        // A sort is fine here: it sorts the running tasks only.
        expect(plan, JSON.stringify(filter)).toMatch(
          /^SCAN tasks USING INDEX idx_tasks_lease( \| USE TEMP B-TREE FOR (LAST \d TERMS OF )?ORDER BY)?$/,
        );
      }
    });

    it('getTasks with other filters walks an index in order, without a sort', () => {
      for (const filter of OTHER_FILTERS) {
        const [source] = statementsRunBy(pool, () => pool.getTasks(filter));
        const plan = planOf(rawDb(pool), source!);
        expectIndexOrdered(plan, `getTasks(${JSON.stringify(filter)})`);
        expect(plan.join(' | '), JSON.stringify(filter)).toMatch(/USING (COVERING )?INDEX/);
      }
    });

    it('getStats reads counters and the pending and lease indexes (index-only), never the task rows', () => {
      const used = statementsRunBy(pool, () => pool.getStats());
      expect(used.length).toBeGreaterThan(0);
      for (const source of used) {
        const plan = planOf(rawDb(pool), source);
        expect(plan.join(' | '), source).not.toMatch(/TEMP B-TREE/);
        for (const line of plan.filter((l) => /^(SEARCH|SCAN) tasks\b/.test(l))) {
          // Only index-only reads of the pending (ready, delayed, waiting) and lease indexes may touch `tasks`.
          expect(line, source).toMatch(
            new RegExp(`USING COVERING INDEX (${claimIndex}|idx_tasks_delayed|idx_tasks_waiting|idx_tasks_lease)\\b`),
          );
        }
      }
      expect(pool.getStats()).toEqual(statsFromRows(pool));
    });

    it('lease upkeep reads only the lease and delayed indexes; holder writes find their row by id', () => {
      const statements = statementsOf(pool);
      const planText = (name: string) => planOf(rawDb(pool), sourceOf(statements[name]!)).join(' | ');
      // The check a claim makes: a seek into each small index.
      expect(planText('upkeepDue')).toMatch(
        /SEARCH tasks USING (COVERING )?INDEX idx_tasks_lease \(lease_expires_at<\?\)/,
      );
      expect(planText('upkeepDue')).toMatch(
        /SEARCH tasks USING COVERING INDEX idx_tasks_delayed \(run_at>\? AND run_at<\?\)/,
      );
      expect(planText('reclaimExpired')).toMatch(
        /^SEARCH tasks USING (COVERING )?INDEX idx_tasks_lease \(lease_expires_at<\?\)/,
      );
      expect(planText('promoteDue')).toMatch(
        /^SEARCH tasks USING (COVERING )?INDEX idx_tasks_delayed \(run_at>\? AND run_at<\?\)/,
      );
      // Heartbeat, start and completion: one row found through the id's unique index, nothing scanned.
      for (const name of ['heartbeat', 'start', 'complete', 'completeWithDependants', 'history']) {
        expect(planText(name), name).toMatch(/^SEARCH tasks USING INDEX sqlite_autoindex_tasks_1 \(id=\?\)$/);
      }
    });

    it('dependency bookkeeping seeks the dependency table by its key and each task by its id', () => {
      const statements = statementsOf(pool);
      const planText = (name: string) => planOf(rawDb(pool), sourceOf(statements[name]!)).join(' | ');
      const byKey = /SEARCH task_dependencies USING PRIMARY KEY \(depends_on_id=\?/;
      for (const name of ['releaseDependants', 'cancelDependants', 'deleteEdgesFrom', 'deleteEdgesTo']) {
        const text = planText(name);
        expect(text, name).toMatch(byKey);
        expect(text, name).not.toMatch(/SCAN (tasks|task_dependencies)\b/);
      }
      // A completion releases its dependants: the key of the dependency table, then each dependant by id.
      expect(planText('releaseDependants')).toBe(
        'SEARCH tasks USING INDEX sqlite_autoindex_tasks_1 (id=?) | LIST SUBQUERY 1 | SEARCH task_dependencies USING PRIMARY KEY (depends_on_id=?)',
      );
      for (const name of ['statusesOf', 'markHasDependants']) {
        expect(planText(name), name).toMatch(/^SEARCH tasks USING INDEX sqlite_autoindex_tasks_1 \(id=\?\)/);
      }
    });

    it('batch claims read the claim index in order, without a sort, and claim what single claims would', () => {
      for (const name of ['claimBatch', 'claimBatchWithin']) {
        const source = sourceOf(statementsOf(pool)[name]!);
        expect(source).toMatch(
          /^update "tasks" set .* where "seq" in \(select "seq" from tasks indexed by idx_tasks_claim .* limit cast\(\? as integer\)\) returning /is,
        );
        expectOnClaimIndex(planOf(rawDb(pool), source), claimIndex, name);
      }
      const expected = pool.getTasks({ status: TaskStatus.PENDING, limit: 50 }).filter((task) => !task.dependsOn);
      const claimed = pool.claimTasks('agent-1', 3);
      expect(claimed.map((task) => task.id)).toEqual(expected.slice(0, 3).map((task) => task.id));
      const within = pool.claimTasks('agent-1', 2, { capabilities: ['code'] });
      expect(within.map((task) => task.id)).toEqual(expected.slice(3, 5).map((task) => task.id));
    });

    it('an exclusive claim reads only the index of tasks that require something, index-only, in order', () => {
      const source = sourceOf(statementsOf(pool).claimBatchExclusive!);
      expect(source).toMatch(/where "seq" in \(select "seq" from tasks indexed by idx_tasks_requiring /);
      const plan = planOf(rawDb(pool), source);
      expectIndexOrdered(plan, 'exclusive claim');
      const onTasks = plan.filter((line) => /^(SEARCH|SCAN) tasks\b/.test(line));
      expect(onTasks).toEqual([
        'SEARCH tasks USING INTEGER PRIMARY KEY (rowid=?)',
        'SEARCH tasks USING COVERING INDEX idx_tasks_requiring (run_at=?)',
      ]);
      // None of these tasks requires anything: the exclusive claim finds nothing, and leaves them all.
      const before = pool.getStats();
      expect(pool.claimTasks('specialist', 10, { capabilities: ['code'], exclusive: true })).toEqual([]);
      expect(pool.getStats()).toEqual(before);
    });

    it('the claim reads the claim index in order, without a sort, and claims the right task', () => {
      const plan = planOf(rawDb(pool), sourceOf(statementsOf(pool).claim!));
      expectOnClaimIndex(plan, claimIndex, 'claim');
      const expected = pool.getTasks({ status: TaskStatus.PENDING, limit: 1 })[0];
      expect(pool.claimTask('agent-1')?.id).toBe(expected?.id);
    });
  });
}

describe('getStats', () => {
  it('matches the rows after 3 000 random operations, raw SQL included', () => {
    const clock = new FakeClock();
    const pool = pools.memory({ clock });
    const db = rawDb(pool);
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
    const ids = () => (db.prepare('select id from tasks').all() as { id: string }[]).map((row) => row.id);
    const statuses = Object.values(TaskStatus);
    for (let step = 0; step < 3000; step++) {
      clock.advance(Math.floor(random() * 3));
      const roll = random();
      const id = pick(ids());
      if (roll < 0.15) pool.createTasks(inputs(1 + Math.floor(random() * 5), `s${step}`));
      else if (roll < 0.2 && id) pool.createTask({ title: `d${step}`, description: 'waits', dependsOn: [id] });
      else if (roll < 0.45) pool.claimTask(`agent-${step % 3}`);
      else if (roll < 0.75 && id) {
        const to = pick(statuses)!;
        try {
          pool.updateTask(id, to === TaskStatus.CLAIMED ? { status: to, assignedAgent: 'agent-9' } : { status: to });
        } catch {
          // A refused transition writes nothing; the counts must still agree.
        }
      } else if (roll < 0.82 && id) pool.deleteTask(id);
      else if (roll < 0.88 && id) db.prepare('update tasks set status = ? where id = ?').run(pick(statuses), id);
      else if (roll < 0.93) {
        db.prepare(
          'insert into tasks (id, title, description, status, priority, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
        ).run(`raw-${step}`, 'raw', 'inserted by hand', pick(statuses), pick(PRIORITIES), clock.now(), clock.now());
      } else if (roll < 0.995) db.prepare('delete from tasks where status = ? and rowid % 2 = 0').run(pick(statuses));
      else pool.clearAll();
      expect(pool.getStats(), `after step ${step}`).toEqual(statsFromRows(pool));
    }
  }, 30_000); // 0.8 s alone; CI runs it beside the fuzz suites on 2 cores, past vitest's 5 s default
});

describe('claim order', () => {
  it('priority first, then creation time, then creation order — for every priority created in one millisecond', () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const pool = pools.memory({ clock });
    const created: Task[] = [];
    // 1. 48 tasks, all in the same millisecond, priorities interleaved, one by one and in batches.
    const pattern = [3, 0, 2, 1, 1, 3, 0, 0, 2, 3, 1, 2] as TaskPriority[];
    for (let round = 0; round < 4; round++) {
      const batch = pattern.map((priority, i) => ({ title: `same-ms r${round} #${i}`, description: 'w', priority }));
      if (round % 2 === 0) for (const input of batch) created.push(pool.createTask(input));
      else created.push(...pool.createTasks(batch));
    }
    // 2. Later tasks of every priority, one per millisecond.
    for (const [i, priority] of pattern.entries()) {
      clock.advance(1);
      created.push(pool.createTask({ title: `later #${i}`, description: 'w', priority }));
    }
    // 3. The clock steps back (as a wall clock may): older timestamps, created last.
    clock.set(Date.UTC(2025, 11, 31));
    created.push(
      ...pool.createTasks(pattern.map((priority, i) => ({ title: `earlier #${i}`, description: 'w', priority }))),
    );

    const order = new Map(created.map((task, i) => [task.id, i]));
    const expected = [...created]
      .sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt || order.get(a.id)! - order.get(b.id)!)
      .map((task) => task.title);
    expect(created.filter((task) => task.createdAt === created[0]!.createdAt)).toHaveLength(48);

    expect(pool.getTasks({ status: TaskStatus.PENDING }).map((task) => task.title)).toEqual(expected);
    expect(pool.getTasks().map((task) => task.title)).toEqual(expected);
    const pages = [0, 20, 40, 60].flatMap((offset) =>
      pool.getTasks({ status: TaskStatus.PENDING, limit: 20, offset }).map((task) => task.title),
    );
    expect(pages).toEqual(expected);

    const claimed: string[] = [];
    for (let task = pool.claimTask('agent-1'); task; task = pool.claimTask('agent-1')) claimed.push(task.title);
    expect(claimed).toEqual(expected);
    // Every CRITICAL task: the clock-skewed older ones, the 12 of one millisecond in creation order, the later ones.
    expect(claimed.slice(0, 18)).toEqual([
      'earlier #0',
      'earlier #5',
      'earlier #9',
      ...[0, 1, 2, 3].flatMap((round) => [0, 5, 9].map((i) => `same-ms r${round} #${i}`)),
      'later #0',
      'later #5',
      'later #9',
    ]);
  });

  it('a task handed back to PENDING keeps its place (its creation time), it does not go to the back', () => {
    const clock = new FakeClock();
    const pool = pools.memory({ clock });
    const [first, second] = pool.createTasks([
      { title: 'first', description: 'w' },
      { title: 'second', description: 'w' },
    ]);
    clock.advance(10);
    expect(pool.claimTask('agent-1')?.id).toBe(first!.id);
    pool.updateTask(first!.id, { status: TaskStatus.PENDING });
    expect(pool.getTask(first!.id)).toMatchObject({
      status: TaskStatus.PENDING,
      assignedAgent: undefined,
      startedAt: undefined,
    });
    expect(pool.claimTask('agent-2')?.id).toBe(first!.id);
    expect(pool.claimTask('agent-2')?.id).toBe(second!.id);
  });
});

describe('keyset paging with an after cursor', () => {
  const pools = usePools();

  it('seeks into the listing index for both halves instead of scanning from the start', () => {
    const pool = pools.memory();
    pool.createTasks(
      Array.from({ length: 2000 }, (_, i) => ({
        title: `t${i}`,
        description: 'd',
        priority: (i % 4) as 0 | 1 | 2 | 3,
      })),
    );
    // 500 CRITICAL tasks: a page after the 495th takes 5 more of them and 5 HIGH ones, so both run.
    const first = pool.getTasks({ limit: 495 });
    const next = pool.getTasks({ limit: 10, after: first[494]!.id });
    expect(next.map((task) => task.priority)).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    const details: string[] = [];
    for (const [key, statement] of filterStatementsOf(pool)) {
      if (!key.includes('priority')) continue;
      const params = Array((statement.source.match(/\?/g) ?? []).length).fill(1);
      const plan = rawDb(pool)
        .prepare(`EXPLAIN QUERY PLAN ${statement.source}`)
        .all(...params) as { detail: string }[];
      details.push(...plan.map((row) => `${key}: ${row.detail}`));
    }
    expect(details.length).toBe(2);
    for (const detail of details) {
      expect(detail).toMatch(/SEARCH tasks USING INDEX idx_priority \(priority[=<]\?/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    }
  });
});
