import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '@omc/core';

/** A SQLite store: a file path (relative paths are taken from the working directory) or `:memory:`. */
export interface SqliteStoreUrl {
  kind: 'sqlite';
  /** The database file, as `new TaskPool(path)` takes it. */
  path: string;
}

/** A PostgreSQL store: the connection string handed to `pg`, and the schema the pool lives in. */
export interface PostgresStoreUrl {
  kind: 'postgres';
  /** The connection string without the `schema` query parameter (pg does not know that one). */
  url: string;
  /** The `?schema=` query parameter: the schema the pool's tables live in; `undefined`: the store's default. */
  schema: string | undefined;
}

/** What {@link parseStoreUrl} reads a store URL as. */
export type StoreUrl = SqliteStoreUrl | PostgresStoreUrl;

/** One line, for every refusal: what a store URL may be. */
export const ACCEPTED_STORE_URLS =
  'accepted: a SQLite file path (./tasks.db, /abs/tasks.db) or :memory:, sqlite:./tasks.db, sqlite:///abs/tasks.db, ' +
  'file:./tasks.db, or postgres://user@host:5432/db (also postgresql://; ?schema=name picks the schema)';

/** `mysql:`, `http:`: a URL scheme. One letter is a Windows drive (`C:\tasks.db`), not a scheme. */
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Read where a store lives: a SQLite file (a bare path, `:memory:`, `sqlite:./tasks.db`,
 * `sqlite:///abs/tasks.db`, `file:./tasks.db`, `file:///abs/tasks.db`) or a PostgreSQL database
 * (`postgres://…`, `postgresql://…`, with an optional `?schema=name`). Anything else (another scheme, an
 * empty string, a malformed URL) is refused with `InvalidInputError` (field `url`) in one line naming what
 * is accepted; a password in the text is shown as `***`.
 *
 * `sqlite:` and `file:` URLs are percent-decoded (`sqlite:./my%20tasks.db` is `./my tasks.db`) and take no
 * query; `sqlite://` before the path is optional (`sqlite://./x.db` is `./x.db`, so `sqlite:///abs/x.db`
 * is `/abs/x.db`). A bare path is used as written. A file name with a colon in it (`v2:tasks.db`) reads as
 * a scheme: write it `./v2:tasks.db`.
 *
 * ### Examples
 * ```ts
 * parseStoreUrl('./tasks.db'); // { kind: 'sqlite', path: './tasks.db' }
 * parseStoreUrl('sqlite:///var/omc/tasks.db'); // { kind: 'sqlite', path: '/var/omc/tasks.db' }
 * parseStoreUrl('postgres://omc@db:5432/omc?schema=team_a');
 * // { kind: 'postgres', url: 'postgres://omc@db:5432/omc', schema: 'team_a' }
 * ```
 */
export function parseStoreUrl(text: string): StoreUrl {
  return readStoreUrl('url', text);
}

/**
 * {@link parseStoreUrl} with the refusal's `field` named by the caller (`db` for `OhMyCopilot.open`).
 * @internal
 */
export function readStoreUrl(field: string, text: unknown): StoreUrl {
  if (typeof text !== 'string') {
    throw new InvalidInputError(
      field,
      `A store URL must be a string, got ${text === null ? 'null' : typeof text} (${ACCEPTED_STORE_URLS}).`,
    );
  }
  if (text.trim() === '') {
    throw new InvalidInputError(field, `A store URL must not be empty (${ACCEPTED_STORE_URLS}).`);
  }
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', path: text };
  if (scheme === 'postgres' || scheme === 'postgresql') return readPostgres(field, text);
  if (scheme === 'sqlite' || scheme === 'file') return { kind: 'sqlite', path: readSqlitePath(field, scheme, text) };
  throw refused(field, text, `its scheme ${scheme}: is not a store omc has`);
}

/**
 * `text` with the password of its URL (user info, or a `password=` query parameter) replaced by `***`,
 * for messages and logs. Text that is not a URL is returned as it is.
 *
 * ### Examples
 * ```ts
 * redactStoreUrl('postgres://omc:s3cret@db/omc'); // 'postgres://omc:***@db/omc'
 * ```
 */
export function redactStoreUrl(text: string): string {
  const start = text.indexOf('://');
  if (start === -1) return text;
  let redacted = text;
  // The last `@` ends the user info even when a malformed password holds an `@` or a `/`.
  const at = redacted.lastIndexOf('@');
  const colon = redacted.indexOf(':', start + 3);
  if (at > start && colon !== -1 && colon < at) redacted = `${redacted.slice(0, colon + 1)}***${redacted.slice(at)}`;
  return redacted.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

function readPostgres(field: string, text: string): PostgresStoreUrl {
  if (!/^[a-z]+:\/\//i.test(text)) throw refused(field, text, 'a PostgreSQL URL starts with postgres://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(field, text, 'it is not a valid URL (percent-encode @, :, / and # in a user name or password)');
  }
  const schemas = url.searchParams.getAll('schema');
  if (schemas.length > 1) throw refused(field, text, 'it names ?schema= more than once');
  const schema = schemas[0];
  if (schema === '') throw refused(field, text, '?schema= names no schema');
  // The scheme in lower case, as pg and libpq expect it (`POSTGRES://` is the same URL).
  if (schema === undefined) return { kind: 'postgres', url: text.replace(SCHEME, (s) => s.toLowerCase()), schema };
  url.searchParams.delete('schema');
  return { kind: 'postgres', url: url.toString(), schema };
}

function readSqlitePath(field: string, scheme: string, text: string): string {
  if (/[?#]/.test(text))
    throw refused(field, text, `a ${scheme}: URL takes no query or fragment (pass options instead)`);
  let rest = text.slice(scheme.length + 1);
  if (rest.startsWith('//')) {
    // file://host/path names a file on another machine (SQLite takes only localhost); sqlite:// is optional.
    if (scheme === 'file') {
      try {
        return fileURLToPath(`file:${rest}`);
      } catch (error) {
        throw refused(field, text, `it is not a local file URL (${(error as Error).message})`);
      }
    }
    rest = rest.slice(2);
  }
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw refused(field, text, 'it holds a % that is not percent-encoding (write %25 for %)');
  }
  if (path === '') throw refused(field, text, 'it names no file');
  return path;
}

function refused(field: string, text: string, why: string): InvalidInputError {
  return new InvalidInputError(
    field,
    `Unsupported store URL '${redactStoreUrl(text)}': ${why} (${ACCEPTED_STORE_URLS}).`,
  );
}
