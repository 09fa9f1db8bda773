/**
 * The PostgreSQL every `pg` subject runs on (`OMC_PG_URL`, default the local `test` database), and a fresh
 * schema per run, dropped afterwards, so no run sees another's rows or dead tuples.
 *
 * @module
 */
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);

/** The server the `pg` workload measures on. */
export const PG_URL = process.env.OMC_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The `pg` driver's version, as installed for this app. */
export const PG_DRIVER_VERSION = require('pg/package.json').version;

let schemaSerial = 0;

/**
 * A schema name no other run (nor another bench process) uses: `omc_bench_<tag>_<pid>_<n>`.
 *
 * @param {string} tag
 * @returns {string}
 */
function schemaName(tag) {
  schemaSerial += 1;
  return `omc_bench_${tag.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${schemaSerial}`;
}

/**
 * Run `fn` with a schema of its own, then drop it with everything in it. With `create: false` the schema is
 * only named (graphile-worker and pg-boss create theirs when they migrate), and dropped all the same.
 *
 * @template T
 * @param {string} tag
 * @param {(schema: string) => Promise<T>} fn
 * @param {{ create?: boolean }} [options]
 * @returns {Promise<T>}
 */
export async function withFreshSchema(tag, fn, { create = true } = {}) {
  const schema = schemaName(tag);
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    if (create) await admin.query(`CREATE SCHEMA "${schema}"`);
    return await fn(schema);
  } finally {
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  }
}

/**
 * The server's version (`server_version`, e.g. `15.20 (Debian …)` shortened to `15.20`), or the error that
 * stopped the connection: the first thing the workload reads, so an unreachable server is reported once.
 *
 * @returns {Promise<string>}
 */
export async function serverVersion() {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query('SHOW server_version');
    return String(rows[0].server_version).split(' ')[0];
  } finally {
    await client.end();
  }
}
