import { afterEach, describe, expect, it, vi } from 'vitest';
import { newTaskId } from '../src/task-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function timestampOf(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

describe('newTaskId', () => {
  afterEach(() => vi.restoreAllMocks());

  it('makes RFC 9562 version 7 UUIDs carrying the creation millisecond', () => {
    const before = Date.now();
    const id = newTaskId();
    expect(id).toMatch(UUID_V7);
    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('keeps ids strictly increasing and unique, many in one millisecond', () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    const ids = Array.from({ length: 10_000 }, () => newTaskId());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it('never goes backwards when the wall clock does', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2031, 0, 1));
    const first = newTaskId();
    now.mockReturnValue(Date.UTC(2029, 0, 1));
    expect(newTaskId() > first).toBe(true);
  });
});
