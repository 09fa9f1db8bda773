/**
 * What only the SQLite pool can show about `onChange`: writes by another process (or another pool on the
 * same file) reach a listener through `PRAGMA data_version`, with nobody polling the tasks; the check runs
 * on an unref'd timer only while someone listens, never for an in-memory pool, and stops with `close()`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskPool } from '../src/index.js';
import { forkFixture } from './child-processes.js';
import { assertBuiltPackageIsFresh, expectOmcError, usePools } from './helpers.js';

const pools = usePools();

/** The pool's change-check timer, if one runs. */
function timerOf(pool: TaskPool): { hasRef(): boolean } | undefined {
  // biome-ignore lint/complexity/useLiteralKeys: private fields, read to check the timer's life
  const changes = pool['driver']['changes'] as unknown as { timer: { hasRef(): boolean } | undefined };
  return changes.timer;
}

/** A promise settled at the listener's first call, and the unsubscribe function. */
function firstChange(pool: TaskPool): { changed: Promise<void>; stop: () => void } {
  let stop = () => {};
  const changed = new Promise<void>((resolve) => {
    stop = pool.onChange(() => resolve());
  });
  return { changed, stop };
}

describe('changes made by another process', () => {
  beforeAll(() => {
    assertBuiltPackageIsFresh();
  });

  it('reach a listener within the poll interval, without anyone reading the tasks', async () => {
    const path = join(pools.dir(), 'signal.db');
    const pool = pools.file(path, { changePollMs: 10 });
    const child = forkFixture('create-task.mjs', [path, 'from another process']);
    await child.nextMessage();
    // The child has opened (and so migrated) the file; from here on only its createTask writes.
    const { changed, stop } = firstChange(pool);
    child.process.send({ go: true });
    const { created } = (await child.nextMessage()) as { created: string };
    await changed;
    stop();
    expect(pool.getTask(created)?.title).toBe('from another process');
    const result = await child.result;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 30_000);
});

describe('the change check', () => {
  it('sees another pool’s writes on the same file', async () => {
    const path = join(pools.dir(), 'tasks.db');
    const watcher = pools.file(path, { changePollMs: 5 });
    const writer = pools.file(path);
    const { changed, stop } = firstChange(watcher);
    writer.createTask({ title: 'written elsewhere', description: 'd' });
    await changed;
    stop();
  });

  it('runs on an unref’d timer only while someone listens, and stops with close()', () => {
    const pool = pools.file(undefined, { changePollMs: 50 });
    expect(timerOf(pool)).toBeUndefined();
    const stopFirst = pool.onChange(() => {});
    const stopSecond = pool.onChange(() => {});
    const timer = timerOf(pool);
    expect(timer).toBeDefined();
    expect(timer?.hasRef()).toBe(false);
    stopFirst();
    expect(timerOf(pool)).toBe(timer);
    stopSecond();
    expect(timerOf(pool)).toBeUndefined();
    pool.onChange(() => {});
    expect(timerOf(pool)).toBeDefined();
    pool.close();
    expect(timerOf(pool)).toBeUndefined();
  });

  it('never runs for an in-memory pool, which no other connection can write', () => {
    const pool = pools.memory();
    pool.onChange(() => {});
    expect(timerOf(pool)).toBeUndefined();
  });

  it('tells listeners of this pool’s own writes once per burst, without the timer', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'setTimeout'] });
    try {
      const pool = pools.file(undefined, { changePollMs: 1_000 });
      let calls = 0;
      pool.onChange(() => calls++);
      pool.createTask({ title: 'a', description: 'd' });
      pool.claimTasks('agent-1', 5);
      expect(calls).toBe(0);
      await Promise.resolve();
      expect(calls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  for (const bad of [0, -5, 1.5, Number.NaN, 2 ** 31, '20']) {
    it(`refuses changePollMs ${JSON.stringify(bad)} before creating the file`, () => {
      const path = join(pools.dir(), 'never.db');
      const error = expectOmcError(
        () => pools.track(new TaskPool(path, { changePollMs: bad as number })),
        'OMC_INVALID_INPUT',
      );
      expect(error).toMatchObject({ field: 'changePollMs' });
      expect(existsSync(path)).toBe(false);
    });
  }
});
