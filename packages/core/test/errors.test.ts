import { describe, expect, it } from 'vitest';
import {
  ForeignDatabaseError,
  InvalidInputError,
  InvalidTransitionError,
  NativeDriverError,
  NotADatabaseError,
  OmcError,
  SchemaTooNewError,
  StorageError,
  StoreClosedError,
} from '../src/errors.js';
import { TaskStatus } from '../src/task.js';

/** An error as a second copy of @omc/core would build it: same registry symbol, unrelated class. */
function foreignError(code: string): Error {
  const error = Object.assign(new Error('from another copy'), { code, taskId: 't-1' });
  Object.defineProperty(error, Symbol.for('omc.error'), { value: true });
  return error;
}

describe('OmcError.isInstance', () => {
  it('recognises every omc error class', () => {
    const errors = [
      new OmcError('OMC_STORAGE', 'x'),
      new InvalidInputError('title', 'x'),
      new InvalidTransitionError('t-1', TaskStatus.COMPLETED, TaskStatus.PENDING, 'x'),
      new StoreClosedError('getTask'),
      new SchemaTooNewError('a.db', 3, 1),
      new StorageError('x'),
    ];
    for (const error of errors) expect(OmcError.isInstance(error), error.name).toBe(true);
  });

  it('recognises an error from another copy of the package, which instanceof misses', () => {
    const error = foreignError('OMC_INVALID_INPUT');
    expect(error instanceof OmcError).toBe(false);
    expect(OmcError.isInstance(error)).toBe(true);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect(InvalidTransitionError.isInstance(error)).toBe(false);
    expect(InvalidTransitionError.isInstance(foreignError('OMC_INVALID_TRANSITION'))).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('x')],
    ['an object with an omc code but no marker', { code: 'OMC_INVALID_INPUT', message: 'x' }],
    ['an object whose marker is not true', { [Symbol.for('omc.error')]: 'yes' }],
    ['a local symbol of the same name', { [Symbol('omc.error')]: true }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'OMC_INVALID_INPUT'],
  ])('rejects %s', (_name, value) => {
    expect(OmcError.isInstance(value)).toBe(false);
  });

  it('does not let one subclass check pass for another code', () => {
    expect(InvalidInputError.isInstance(new StoreClosedError('close'))).toBe(false);
    expect(InvalidTransitionError.isInstance(new InvalidInputError('x', 'x'))).toBe(false);
  });
});

describe('error classes', () => {
  it('carry a stable code, their class name, the task and the cause', () => {
    const cause = new Error('disk full');
    const error = new StorageError('write failed', { taskId: 't-1', cause });
    expect(error).toBeInstanceOf(OmcError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'OMC_STORAGE', name: 'StorageError', taskId: 't-1', cause });
    expect(new OmcError('OMC_STORAGE', 'x')).not.toHaveProperty('cause');
  });

  it('name the native driver, both versions and the problem', () => {
    const details = { driver: 'better-sqlite3', driverVersion: '13.0.0', nodeVersion: '20.20.2' };
    const error = new NativeDriverError('node_unsupported', 'use 12', details);
    expect(error).toMatchObject({ code: 'OMC_NATIVE_DRIVER', name: 'NativeDriverError', problem: 'node_unsupported' });
    expect(error).toMatchObject(details);
    expect(NativeDriverError.isInstance(error)).toBe(true);
    expect(NativeDriverError.isInstance(new StorageError('x'))).toBe(false);
  });

  it('name the transition refused', () => {
    const error = new InvalidTransitionError('t-1', TaskStatus.FAILED, TaskStatus.CLAIMED, 'no');
    expect(error).toMatchObject({ code: 'OMC_INVALID_TRANSITION', taskId: 't-1', from: 'failed', to: 'claimed' });
  });

  it('say which operation hit a closed store, and what to do', () => {
    const error = new StoreClosedError('claimTask');
    expect(error.code).toBe('OMC_STORE_CLOSED');
    expect(error.message).toBe('Cannot claimTask: the task store is closed. Open a new one.');
  });

  it('name no storage engine unless the adapter passes the kind of file it expected', () => {
    const neutral = [new NotADatabaseError('a.db'), new ForeignDatabaseError('a.db', 'application_id is 7')];
    for (const error of neutral) expect(error.message).not.toMatch(/sqlite/i);
    expect(new NotADatabaseError('a.db').message).toBe(
      'a.db is not a database this store can read (or is encrypted or corrupt). It was left untouched; pass the path of an omc database or a new file.',
    );
    expect(new NotADatabaseError('a.db', undefined, 'a SQLite database').message).toMatch(
      /^a\.db is not a SQLite database \(or is encrypted or corrupt\)/,
    );
    expect(new ForeignDatabaseError('a.db', 'application_id is 7', 'a SQLite database').message).toBe(
      'a.db is a SQLite database that omc did not create (application_id is 7). It was left untouched; use a new file for the task pool.',
    );
  });

  it('keep the marker out of enumeration, so copying or logging an error does not spread it', () => {
    const error = new InvalidInputError('title', 'bad title');
    expect(Object.getOwnPropertySymbols(error)).toContain(Symbol.for('omc.error'));
    expect(Object.prototype.propertyIsEnumerable.call(error, Symbol.for('omc.error'))).toBe(false);
    expect(OmcError.isInstance({ ...error })).toBe(false);
  });
});
