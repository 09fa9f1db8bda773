import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DatabaseCorruptError } from '@omc/core';
import type Database from 'better-sqlite3';

/** At most this many findings are read from an integrity check (SQLite stops counting there). */
export const MAX_INTEGRITY_FINDINGS = 100;

/**
 * What {@link TaskPool.checkIntegrity} found: `ok` when SQLite's check reported nothing, otherwise its
 * findings, one line each (at most 100).
 */
export interface IntegrityReport {
  ok: boolean;
  /** `quick_check` (true) or the full `integrity_check` (false). */
  quick: boolean;
  findings: string[];
}

/** True for `SQLITE_CORRUPT` and its extended codes (`SQLITE_CORRUPT_INDEX`, …). @internal */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CORRUPT');
}

/**
 * Run `PRAGMA quick_check` (O(pages): structure, no index-to-table cross-check) or `integrity_check`
 * (also checks that every index entry matches its row). A check that SQLite itself cannot finish on a
 * damaged file is a finding, not an exception. Reads only.
 * @internal
 */
export function checkIntegrity(db: Database.Database, quick: boolean): IntegrityReport {
  let findings = runCheck(db, quick ? 'quick_check' : 'integrity_check');
  // integrity_check can stop at a page it cannot read where quick_check, which reads less, still reports.
  if (!quick && findings.length === 1 && findings[0]?.startsWith('integrity_check could not finish')) {
    const structure = runCheck(db, 'quick_check');
    if (structure.length > 0) findings = [...structure, ...findings].slice(0, MAX_INTEGRITY_FINDINGS);
  }
  return { ok: findings.length === 0, quick, findings };
}

/** The check's findings, one line each ('ok' is none); SQLite may pack several lines into one row. */
function runCheck(db: Database.Database, pragma: 'quick_check' | 'integrity_check'): string[] {
  let lines: string[];
  try {
    const rows = db.pragma(`${pragma}(${MAX_INTEGRITY_FINDINGS})`) as Record<string, unknown>[];
    lines = rows.flatMap((row) => String(Object.values(row)[0]).split('\n'));
  } catch (error) {
    if (!isCorruption(error)) throw error;
    return [`${pragma} could not finish: ${(error as Error).message}`];
  }
  const findings = lines.filter(
    (line) => line !== 'ok' && line !== '' && !/^\*\*\* in database \w+ \*\*\*$/.test(line),
  );
  return findings.slice(0, MAX_INTEGRITY_FINDINGS);
}

/** What the file's 100-byte header says about its size, when it says it validly. */
interface SizeInHeader {
  pageSize: number;
  pageCount: number;
}

/** Up to the file's first 100 bytes (fewer in a shorter file; none when it cannot be read). */
function readFileHeader(path: string): Buffer {
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return header.subarray(0, readSync(fd, header, 0, 100, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const SIGNATURE = 'SQLite format 3\0';

/** Whether the file starts with SQLite's 16-byte signature. @internal */
export function hasSqliteSignature(path: string): boolean {
  return readFileHeader(path).toString('latin1', 0, 16) === SIGNATURE;
}

function sizeInHeader(path: string): SizeInHeader | undefined {
  const header = readFileHeader(path);
  if (header.length < 100 || header.toString('latin1', 0, 16) !== SIGNATURE) return undefined;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  // The page count is trusted only when the "version-valid-for" number matches the change counter.
  if (header.readUInt32BE(24) !== header.readUInt32BE(92)) return undefined;
  return { pageSize, pageCount: header.readUInt32BE(28) };
}

/**
 * Why the file is damaged, in words, and whether it was cut short: the file is shorter than its header
 * says, or not a whole number of pages. @internal
 */
export function diagnose(path: string, error?: unknown): { problem: 'truncated' | 'corrupt'; detail: string } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { problem: 'corrupt', detail: 'SQLite found a malformed page or record' };
  }
  if (size < 100 && hasSqliteSignature(path)) {
    return { problem: 'truncated', detail: `the file is ${size} bytes, shorter than SQLite's 100-byte header` };
  }
  const header = sizeInHeader(path);
  if (header && header.pageSize >= 512) {
    const expected = header.pageSize * header.pageCount;
    if (size < expected || size % header.pageSize !== 0) {
      return {
        problem: 'truncated',
        detail: `the file is ${size} bytes, but its header says ${header.pageCount} pages of ${header.pageSize} bytes (${expected} bytes): it was cut short`,
      };
    }
  }
  if ((error as { code?: unknown } | undefined)?.code === 'SQLITE_NOTADB') {
    return { problem: 'corrupt', detail: "its 100-byte file header is damaged (SQLite's signature is there)" };
  }
  return { problem: 'corrupt', detail: 'SQLite found a malformed page or record' };
}

/** What to do about a damaged file, the same words wherever one is found. @internal */
export function recoveryAdvice(path: string): string {
  return (
    `Restore ${path} from a backup, or recover what SQLite can still read into a new file ` +
    `(\`sqlite3 ${path} ".recover" | sqlite3 recovered.db\`) and open that one; ` +
    'pool.checkIntegrity() on the recovered file tells whether it is sound.'
  );
}

/**
 * The typed error for a corruption SQLite reported while opening (or checking) `path`. Nothing was
 * written: the open refuses before its first write. @internal
 */
export function corruptAtOpen(path: string, error: unknown): DatabaseCorruptError {
  const { problem, detail } = diagnose(path, error);
  const said = (error as Error).message;
  return new DatabaseCorruptError(
    path,
    problem,
    `${path} is damaged: ${detail} (SQLite: "${said}"). omc wrote nothing to it. ${recoveryAdvice(path)}`,
    { findings: [said], cause: error },
  );
}

/** Whether every finding is about an index's entries (the table rows themselves read back whole). */
function onlyIndexes(findings: readonly string[]): boolean {
  return findings.length > 0 && findings.every((line) => /\b(?:from|in) index \w+/.test(line));
}

/** The typed error for a failed integrity check at open. @internal */
export function failedCheck(path: string, report: IntegrityReport): DatabaseCorruptError {
  const { problem, detail } = diagnose(path);
  const shown = report.findings.slice(0, 3).join('; ');
  const more = report.findings.length > 3 ? ` and ${report.findings.length - 3} more (see findings)` : '';
  return new DatabaseCorruptError(
    path,
    problem,
    `${path} is damaged: ${report.quick ? 'quick_check' : 'integrity_check'} found ${shown}${more}` +
      `${problem === 'truncated' ? `; ${detail}` : ''}. omc wrote nothing to it. ${recoveryAdvice(path)}` +
      (onlyIndexes(report.findings)
        ? ` Every finding names an index, which SQLite can rebuild from its table: with no process using the file, \`sqlite3 ${path} "REINDEX"\`, then check again.`
        : ''),
    { findings: report.findings },
  );
}
