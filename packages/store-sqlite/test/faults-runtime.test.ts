/**
 * File faults met while a pool is open and working: every driver error a user can meet comes back as a
 * typed omc error naming the file, the operation and the task, with what to do; and the faults that
 * would lose acknowledged tasks silently are detected and reported.
 */

import {
  DatabaseBusyError,
  DatabaseCorruptError,
  DiskFullError,
  OmcError,
  ReadOnlyDatabaseError,
  StorageError,
} from '@omc/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { translateSqliteError } from '../src/database-health.js';

const PATH = '/srv/omc/tasks.db';

function driverError(code: string, message = 'driver message'): Error {
  return new Database.SqliteError(message, code);
}

describe('translateSqliteError: every SQLite failure becomes a typed error that says what to do', () => {
  const cases: [code: string, errorCode: string, advice: RegExp][] = [
    ['SQLITE_CORRUPT', 'OMC_DATABASE_CORRUPT', /is damaged.*integrity_check.*\.recover/],
    ['SQLITE_CORRUPT_INDEX', 'OMC_DATABASE_CORRUPT', /is damaged.*restore a backup/],
    ['SQLITE_NOTADB', 'OMC_DATABASE_CORRUPT', /is damaged/],
    ['SQLITE_FULL', 'OMC_DISK_FULL', /disk holding .* is full.*Free space/],
    [
      'SQLITE_BUSY',
      'OMC_DATABASE_BUSY',
      /write lock on .* longer than busyTimeoutMs.*raise the pool's busyTimeoutMs.*long transactions/,
    ],
    ['SQLITE_BUSY_TIMEOUT', 'OMC_DATABASE_BUSY', /busyTimeoutMs/],
    ['SQLITE_BUSY_SNAPSHOT', 'OMC_DATABASE_BUSY', /wrote to .* while this one was reading.*Retry/],
    ['SQLITE_READONLY', 'OMC_READ_ONLY', /not writable.*permissions.*readOnly: true/],
    ['SQLITE_READONLY_DIRECTORY', 'OMC_READ_ONLY', /folder holding .* is not writable/],
    ['SQLITE_READONLY_DBMOVED', 'OMC_READ_ONLY', /moved or deleted while the pool had it open/],
    ['SQLITE_IOERR', 'OMC_STORAGE', /operating system.*Check the disk and the mount/],
    ['SQLITE_IOERR_WRITE', 'OMC_STORAGE', /operating system.*Check the disk/],
    ['SQLITE_IOERR_SHORT_READ', 'OMC_STORAGE', /operating system/],
    ['SQLITE_CANTOPEN', 'OMC_STORAGE', /could not open .*still exist/],
    ['SQLITE_ERROR', 'OMC_STORAGE', /failed in SQLite/],
  ];
  for (const [code, errorCode, advice] of cases) {
    it(`${code} → ${errorCode}, with the task id, the path, the cause and advice`, () => {
      const cause = driverError(code);
      const error = translateSqliteError(cause, PATH, 'completeTask', 't-42');
      expect(OmcError.isInstance(error)).toBe(true);
      expect(error.code).toBe(errorCode);
      expect(error.taskId).toBe('t-42');
      expect(error.cause).toBe(cause);
      expect(error.message).toMatch(/^completeTask for task t-42 (failed|did nothing)/);
      expect(error.message).toContain('for task t-42');
      expect(error.message).toContain(PATH);
      expect(error.message).toContain(code);
      expect(error.message).toMatch(advice);
      if (errorCode !== 'OMC_STORAGE') expect((error as unknown as { path: string }).path).toBe(PATH);
    });
  }

  it('gives each class its details: problem for corrupt and read-only, findings from SQLite', () => {
    const corrupt = translateSqliteError(
      driverError('SQLITE_CORRUPT', 'database disk image is malformed'),
      PATH,
      'getTask',
      undefined,
    );
    expect(DatabaseCorruptError.isInstance(corrupt)).toBe(true);
    expect(corrupt).toMatchObject({
      problem: 'corrupt',
      findings: ['database disk image is malformed'],
      taskId: undefined,
    });
    expect(corrupt.message).not.toContain('for task');
    expect(translateSqliteError(driverError('SQLITE_READONLY_DIRECTORY'), PATH, 'x', undefined)).toMatchObject({
      problem: 'directory',
    });
    expect(translateSqliteError(driverError('SQLITE_READONLY_CANTINIT'), PATH, 'x', undefined)).toMatchObject({
      problem: 'file',
    });
    expect(translateSqliteError(driverError('SQLITE_FULL'), PATH, 'x', undefined)).toBeInstanceOf(DiskFullError);
    expect(translateSqliteError(driverError('SQLITE_BUSY'), PATH, 'x', undefined)).toBeInstanceOf(DatabaseBusyError);
    expect(translateSqliteError(driverError('SQLITE_READONLY'), PATH, 'x', undefined)).toBeInstanceOf(
      ReadOnlyDatabaseError,
    );
    expect(translateSqliteError(driverError('SQLITE_IOERR_FSYNC'), PATH, 'x', undefined)).toBeInstanceOf(StorageError);
  });

  it("passes omc errors through and reports an error that is not SQLite's as OMC_STORAGE", () => {
    const typed = new DiskFullError(PATH, 'full');
    expect(translateSqliteError(typed, PATH, 'x', 't')).toBe(typed);
    const bug = new TypeError('boom');
    const error = translateSqliteError(bug, PATH, 'getStats', undefined);
    expect(error).toMatchObject({ code: 'OMC_STORAGE', cause: bug });
    expect(error.message).toBe('getStats failed in SQLite: boom.');
  });
});
