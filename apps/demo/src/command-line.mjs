// The demos' command line, one module for all three: options, --help, one-line errors (exit 2), and
// paths relative to the directory the user ran the command in.
import { basename, resolve } from 'node:path';
import { parseStoreUrl } from '@omc/sdk';
import { InvalidInputError, OmcError } from '@omc/store-sqlite';
import { oneLine } from './terminal.mjs';

/**
 * @typedef {object} OptionSpec
 * @property {'integer' | 'string' | 'path' | 'store'} kind `path` is resolved against {@link userDirectory};
 *   `store` is a SQLite file (a path or `sqlite:` URL, resolved the same way) or a `postgres://` URL (kept as
 *   given), read by the SDK's `parseStoreUrl`.
 * @property {string} help What it does, for `--help`.
 * @property {string | number} [default]
 * @property {string} [defaultText] What happens without the option, when it has no plain default.
 * @property {number} [min] Integers only.
 * @property {number} [max] Integers only.
 * @property {readonly string[]} [choices] Strings only: the values accepted.
 * @property {string} [value] The value's name in `--help` (default `N`, `TEXT`, `FILE` or `FILE|URL`).
 * @property {string} [env] The environment variable read when the option is not given (e.g. `OMC_DB`).
 */

/**
 * @typedef {object} ProgramSpec
 * @property {string} name The program, as error lines start (`swarm-demo`).
 * @property {string} script The package script that runs it (`start`), for the usage line.
 * @property {string} about One paragraph for `--help`.
 * @property {Record<string, OptionSpec>} options By long name, without the dashes.
 */

/** The longest a Node timer waits, for `max` of a millisecond option. */
export const MAX_MS = 2_147_483_647;

/**
 * Parse `argv` against `spec`: returns the values by option name (integers as numbers, paths absolute), or
 * `{ help: true }`. A `--` before the options is skipped: pnpm 10 passes the one in
 * `pnpm --filter @omc-app/demo start -- --agents 8` through to the program.
 * Throws `InvalidInputError` (field: the option) with a message saying what is wrong and what is accepted.
 * @param {string[]} argv
 * @param {ProgramSpec} spec
 * @param {string} [base] Where relative paths start.
 * @param {NodeJS.ProcessEnv} [env] Where options with an `env` name are looked up when not given.
 * @returns {{ help: true } | { help: false, values: Record<string, string | number | undefined> }}
 */
export function parseCommandLine(argv, spec, base = userDirectory(), env = process.env) {
  const args = [...argv];
  while (args[0] === '--') args.shift();
  const given = new Map();
  while (args.length > 0) {
    const arg = /** @type {string} */ (args.shift());
    if (arg === '--help' || arg === '-h') return { help: true };
    if (!arg.startsWith('--') || arg === '--') {
      throw new InvalidInputError(
        'arguments',
        `unexpected argument '${arg}': every option starts with -- (${accepted(spec)}; --help for usage)`,
      );
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const option = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!option) throw new InvalidInputError(name, `unknown option --${name} (${accepted(spec)}; --help for usage)`);
    const text = eq === -1 ? args[0] : arg.slice(eq + 1);
    if (eq === -1) {
      // `--db --tasks 5` forgot the value; `--delay -1` gave one (a negative number, refused below).
      if (text === undefined || text.startsWith('--')) {
        throw new InvalidInputError(name, `--${name} needs a value: ${expected(option)}`);
      }
      args.shift();
    }
    given.set(name, text);
  }
  /** @type {Record<string, string | number | undefined>} */
  const values = {};
  for (const [name, option] of Object.entries(spec.options)) {
    // An empty variable is unset, as shells often leave them; a given option wins over the variable.
    const fromEnv = !given.has(name) && option.env && env[option.env] ? option.env : undefined;
    const text = fromEnv ? env[fromEnv] : given.get(name);
    values[name] =
      text === undefined ? defaultOf(option, base) : convert(name, option, text, base, fromEnv ?? `--${name}`);
  }
  return { help: false, values };
}

/**
 * {@link parseCommandLine} on this process's arguments, as a program does it: `--help` prints the usage
 * and exits 0; bad input prints ONE line (`<program>: <what is wrong>`) to stderr and exits 2.
 * @param {ProgramSpec} spec
 * @returns {Record<string, any>}
 */
export function readCommandLine(spec) {
  const parsed = orExit(spec.name, () => parseCommandLine(process.argv.slice(2), spec));
  if (parsed.help) {
    process.stdout.write(usage(spec));
    process.exit(0);
  }
  return parsed.values;
}

/**
 * Run `open` (open the pool, build the model…): an omc error it throws is the user's input being refused
 * (a file that is not a database, an unknown provider, a bad prices file), so it gets one line and exit 2.
 * Anything else is a bug and keeps its stack trace. When `open` returns a promise (a PostgreSQL pool
 * connects asynchronously), its rejection is handled the same way.
 * @template T
 * @param {string} program
 * @param {() => T} open
 * @returns {T}
 */
export function orExit(program, open) {
  const refuse = (error) => {
    if (!OmcError.isInstance(error)) throw error;
    process.stderr.write(`${program}: ${oneLine(error.message.split('\n')[0])}\n`);
    process.exit(2);
  };
  try {
    const value = open();
    return value instanceof Promise ? /** @type {T} */ (value.catch(refuse)) : value;
  } catch (error) {
    return refuse(error);
  }
}

/**
 * The directory the user ran the command in. pnpm and npm run a package's scripts in the package's own
 * directory and pass the user's in `INIT_CWD`; trust it only when this process is that script, since a
 * program some other script started (a test runner's child) inherits the variable with its own cwd.
 */
export function userDirectory(env = process.env) {
  const script = env.npm_lifecycle_script ?? '';
  const me = basename(process.argv[1] ?? '');
  return env.INIT_CWD && me !== '' && script.split(/\s+/).some((word) => basename(word) === me)
    ? env.INIT_CWD
    : process.cwd();
}

/**
 * The `--help` text.
 * @param {ProgramSpec} spec
 */
export function usage(spec) {
  const rows = Object.entries(spec.options).map(([name, option]) => [
    `--${name} ${valueName(option)}`,
    [option.help, describeValue(option)].filter(Boolean).join('; '),
  ]);
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: pnpm --filter @omc-app/demo ${spec.script} -- [options]`,
    `       node apps/demo/src/${spec.name}.mjs [options]`,
    '',
    spec.about,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
    'Relative paths are taken from the directory you ran the command in.',
    '',
  ].join('\n');
}

function convert(name, option, text, base, source) {
  if (option.kind === 'string') {
    if (text === '') throw new InvalidInputError(name, `--${name} needs a value: ${expected(option)}`);
    if (option.choices && !option.choices.includes(text)) {
      throw new InvalidInputError(name, `--${name} must be ${expected(option)}, got '${text}'`);
    }
    return text;
  }
  if (option.kind === 'path') {
    if (text === '') throw new InvalidInputError(name, `--${name} needs a value: ${expected(option)}`);
    return resolve(base, text);
  }
  if (option.kind === 'store') {
    if (text === '') throw new InvalidInputError(name, `--${name} needs a value: ${expected(option)}`);
    return storeValue(name, text, base, source);
  }
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = option;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidInputError(name, `--${name} must be ${expected(option)}, got '${text}'`);
  }
  return value;
}

/**
 * A store option's value: a SQLite file as an absolute path (`:memory:` as it is), so the message and the
 * pool name the same file whatever the working directory; a PostgreSQL URL as given.
 */
function storeValue(name, text, base, source) {
  let where;
  try {
    where = parseStoreUrl(text);
  } catch (error) {
    if (!InvalidInputError.isInstance(error)) throw error;
    throw new InvalidInputError(name, `${source}: ${error.message}`, { cause: error });
  }
  if (where.kind === 'postgres') return text;
  return where.path === ':memory:' ? where.path : resolve(base, where.path);
}

function defaultOf(option, base) {
  if (option.default === undefined) return undefined;
  if (option.kind === 'store') return storeValue('default', String(option.default), base, 'the default');
  return option.kind === 'path' ? resolve(base, String(option.default)) : option.default;
}

/** `an integer ≥ 1` / `a file path` / `text`. */
function expected(option) {
  if (option.kind === 'path') return 'a file path';
  if (option.kind === 'store') return 'a SQLite file path (or sqlite: URL) or a postgres:// URL';
  if (option.kind === 'string') return option.choices ? `one of ${option.choices.join(', ')}` : 'text';
  const { min, max } = option;
  if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
  if (min !== undefined) return `an integer ≥ ${min}`;
  return 'an integer';
}

/** `an integer from 1 to 1000, default 5`: what `--help` adds to an option's own text. */
function describeValue(option) {
  const range = option.kind === 'integer' || option.choices ? expected(option) : undefined;
  const text = option.defaultText ?? option.default;
  return [range, option.env && `or ${option.env}`, text === undefined ? undefined : `default ${text}`]
    .filter(Boolean)
    .join(', ');
}

function valueName(option) {
  return option.value ?? { integer: 'N', string: 'TEXT', path: 'FILE', store: 'FILE|URL' }[option.kind];
}

function accepted(spec) {
  return `accepted: ${Object.keys(spec.options)
    .map((name) => `--${name}`)
    .join(', ')}, --help`;
}
