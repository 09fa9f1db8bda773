// Store selection by URL: which text names which store, and what is refused (one line, no password).
import { describe, expect, it } from 'vitest';
import { ACCEPTED_STORE_URLS, InvalidInputError, parseStoreUrl, redactStoreUrl } from '../src/index.js';

describe('parseStoreUrl', () => {
  it('reads a bare path, :memory: and the sqlite: and file: URLs as SQLite files', () => {
    for (const [text, path] of [
      ['./tasks.db', './tasks.db'],
      ['tasks.db', 'tasks.db'],
      ['/var/omc/tasks.db', '/var/omc/tasks.db'],
      ['../up/tasks.db', '../up/tasks.db'],
      ['./v2:tasks.db', './v2:tasks.db'],
      ['./100%.db', './100%.db'], // a bare path is used as written
      ['C:\\omc\\tasks.db', 'C:\\omc\\tasks.db'], // a drive letter is not a scheme
      [':memory:', ':memory:'],
      ['sqlite:./tasks.db', './tasks.db'],
      ['sqlite:tasks.db', 'tasks.db'],
      ['SQLite:./tasks.db', './tasks.db'],
      ['sqlite:///abs/tasks.db', '/abs/tasks.db'],
      ['sqlite://./tasks.db', './tasks.db'],
      ['sqlite::memory:', ':memory:'],
      ['sqlite:./my%20tasks.db', './my tasks.db'],
      ['file:./tasks.db', './tasks.db'],
      ['file:tasks.db', 'tasks.db'],
      ['file:///abs/my%20tasks.db', '/abs/my tasks.db'],
      ['file://localhost/abs/tasks.db', '/abs/tasks.db'],
    ] as const) {
      expect({ text, parsed: parseStoreUrl(text) }).toEqual({ text, parsed: { kind: 'sqlite', path } });
    }
  });

  it('reads postgres:// and postgresql:// as PostgreSQL, taking ?schema= off the URL pg gets', () => {
    for (const [text, url, schema] of [
      ['postgres://postgres@127.0.0.1:5432/test', 'postgres://postgres@127.0.0.1:5432/test', undefined],
      ['postgresql://omc:s3cret@db.internal/omc', 'postgresql://omc:s3cret@db.internal/omc', undefined],
      ['POSTGRES://db/omc', 'postgres://db/omc', undefined],
      ['PostgreSQL://db/omc?schema=a', 'postgresql://db/omc', 'a'],
      ['postgres:///omc?host=/var/run/postgresql', 'postgres:///omc?host=/var/run/postgresql', undefined],
      ['postgres://db/omc?schema=team_a', 'postgres://db/omc', 'team_a'],
      ['postgres://u:p@db/omc?sslmode=require&schema=team_a', 'postgres://u:p@db/omc?sslmode=require', 'team_a'],
      ['postgres://db/omc?schema=Team%20A', 'postgres://db/omc', 'Team A'],
    ] as const) {
      expect({ text, parsed: parseStoreUrl(text) }).toEqual({ text, parsed: { kind: 'postgres', url, schema } });
    }
  });

  it('refuses anything else with InvalidInputError, in one line naming what is accepted', () => {
    for (const [text, why] of [
      ['mysql://root@db/omc', 'its scheme mysql: is not a store omc has'],
      ['http://example.com/tasks.db', 'its scheme http: is not a store omc has'],
      ['v2:tasks.db', 'its scheme v2: is not a store omc has'],
      ['postgres:db/omc', 'a PostgreSQL URL starts with postgres://'],
      ['postgres://db:notaport/omc', 'it is not a valid URL'],
      ['postgres://db/omc?schema=a&schema=b', 'it names ?schema= more than once'],
      ['postgres://db/omc?schema=', '?schema= names no schema'],
      ['sqlite:', 'it names no file'],
      ['sqlite://', 'it names no file'],
      ['sqlite:./tasks.db?mode=ro', 'a sqlite: URL takes no query or fragment'],
      ['file:./tasks.db#x', 'a file: URL takes no query or fragment'],
      ['sqlite:./100%.db', 'it holds a % that is not percent-encoding'],
      ['file://otherhost/tasks.db', 'it is not a local file URL'],
    ] as const) {
      let error: unknown;
      try {
        parseStoreUrl(text);
      } catch (caught) {
        error = caught;
      }
      expect(InvalidInputError.isInstance(error), text).toBe(true);
      const { message, code, field } = error as InvalidInputError;
      expect({ code, field }).toEqual({ code: 'OMC_INVALID_INPUT', field: 'url' });
      expect(message).toContain(`Unsupported store URL '${text}': ${why}`);
      expect(message).toContain(ACCEPTED_STORE_URLS);
      expect(message).not.toContain('\n');
    }
  });

  it('refuses an empty string, blanks and what is not a string', () => {
    for (const text of ['', '   ']) {
      expect(() => parseStoreUrl(text)).toThrow(`A store URL must not be empty (${ACCEPTED_STORE_URLS}).`);
    }
    for (const [value, what] of [
      [undefined, 'undefined'],
      [null, 'null'],
      [5, 'number'],
    ] as const) {
      // @ts-expect-error not a string
      expect(() => parseStoreUrl(value)).toThrow(
        expect.objectContaining({
          code: 'OMC_INVALID_INPUT',
          message: `A store URL must be a string, got ${what} (${ACCEPTED_STORE_URLS}).`,
        }),
      );
    }
  });

  it('never shows a password in a refusal', () => {
    for (const [text, shown] of [
      ['mysql://root:hunter2@db/omc', "'mysql://root:***@db/omc'"],
      ['postgres://omc:hunter2@db:notaport/omc', "'postgres://omc:***@db:notaport/omc'"],
      ['postgres://omc:hun@ter2@db:x/omc', "'postgres://omc:***@db:x/omc'"],
      ['postgres://omc:hunter2@db/omc?schema=a&schema=b', "'postgres://omc:***@db/omc?schema=a&schema=b'"],
      ['postgres://db/omc?password=hunter2&schema=', "'postgres://db/omc?password=***&schema='"],
    ] as const) {
      expect(() => parseStoreUrl(text)).toThrow(shown);
      expect(() => parseStoreUrl(text)).not.toThrow('hunter2');
    }
  });
});

describe('redactStoreUrl', () => {
  it('replaces the password of a URL, and leaves other text alone', () => {
    expect(redactStoreUrl('postgres://omc:s3cret@db/omc')).toBe('postgres://omc:***@db/omc');
    expect(redactStoreUrl('postgres://omc@db:5432/omc')).toBe('postgres://omc@db:5432/omc');
    expect(redactStoreUrl('postgres://db/omc?sslmode=require&password=s3cret')).toBe(
      'postgres://db/omc?sslmode=require&password=***',
    );
    expect(redactStoreUrl('./tasks.db')).toBe('./tasks.db');
    expect(redactStoreUrl('/srv/a@b:c.db')).toBe('/srv/a@b:c.db');
  });
});
