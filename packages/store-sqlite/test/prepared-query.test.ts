import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builder, compile, PreparedQuery, param } from '../src/query-builder.js';

// The binder each PreparedQuery compiles lays named values out by position; these pin what it must keep
// doing whatever its implementation: every name bound to its own place, constants kept, a missing value
// refused rather than bound as NULL.
describe('PreparedQuery binding', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE tasks (id TEXT, title TEXT, description TEXT, priority INTEGER)');
  });
  afterEach(() => db.close());

  // A table of four columns, so the typed builder is told the values fit (its types know the full one).
  const insert = compile(
    builder.insertInto('tasks').values({
      id: param<string>('id'),
      title: 'constant title',
      description: param<string>('description'),
      priority: param<number>('priority'),
    } as never),
  );

  it('binds each name to its own position and keeps the compiled constants', () => {
    const statement = new PreparedQuery(db, insert);
    statement.run({ priority: 2, description: 'd', id: 'a' });
    statement.run({ id: 'b', description: null, priority: 0 });
    expect(db.prepare('SELECT * FROM tasks ORDER BY id').all()).toEqual([
      { id: 'a', title: 'constant title', description: 'd', priority: 2 },
      { id: 'b', title: 'constant title', description: null, priority: 0 },
    ]);
  });

  it('refuses a missing value instead of binding it as NULL, and writes nothing', () => {
    const statement = new PreparedQuery(db, insert);
    expect(() => statement.run({ id: 'a', priority: 1 })).toThrow('no value for parameter description');
    expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 0 });
  });

  it('shares one binder between pools of the same statement and keeps them apart from each other', () => {
    const other = new Database(':memory:');
    other.exec('CREATE TABLE tasks (id TEXT, title TEXT, description TEXT, priority INTEGER)');
    try {
      new PreparedQuery(db, insert).run({ id: 'here', description: 'x', priority: 1 });
      new PreparedQuery(other, insert).run({ id: 'there', description: 'y', priority: 3 });
      expect(db.prepare('SELECT id, priority FROM tasks').all()).toEqual([{ id: 'here', priority: 1 }]);
      expect(other.prepare('SELECT id, priority FROM tasks').all()).toEqual([{ id: 'there', priority: 3 }]);
    } finally {
      other.close();
    }
  });

  it('refuses a parameter name that is not an identifier', () => {
    const odd = compile(builder.insertInto('tasks').values({ id: param<string>('id); process.exit(1); (') } as never));
    expect(() => new PreparedQuery(db, odd)).toThrow('omc internal error: parameter');
  });
});
