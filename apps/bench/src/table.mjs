/**
 * Plain-text table rendering with aligned columns.
 *
 * @module
 */

/**
 * @typedef {object} Column
 * @property {string} key
 * @property {string} title
 * @property {'left' | 'right'} align
 */

/**
 * A row: cells by column key, or a note (a label in the first column and free text across the rest).
 *
 * @typedef {{ cells: Record<string, string> } | { note: string, text: string } | { rule: true }} TableRow
 */

/**
 * Render `rows` under `columns`, two spaces between columns.
 *
 * @param {Column[]} columns
 * @param {TableRow[]} rows
 * @returns {string}
 */
export function renderTable(columns, rows) {
  const widths = columns.map((column) =>
    Math.max(column.title.length, ...rows.map((row) => ('cells' in row ? (row.cells[column.key] ?? '').length : 0))),
  );
  /** @param {string[]} cells */
  const line = (cells) =>
    cells
      .map((cell, i) => (columns[i]?.align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const total = widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);
  const out = [line(columns.map((column) => column.title)), '-'.repeat(total)];
  for (const row of rows) {
    if ('rule' in row) out.push('-'.repeat(total));
    else if ('note' in row) out.push(`${row.note.padEnd(widths[0])}  ${row.text}`);
    else out.push(line(columns.map((column) => row.cells[column.key] ?? '')));
  }
  return out.join('\n');
}

/**
 * A measured figure: integers with separators from 100 up, three significant digits below.
 *
 * @param {number} value
 * @returns {string}
 */
export function formatValue(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/**
 * A ratio, e.g. `1.23x`.
 *
 * @param {number | null} ratio
 * @returns {string}
 */
export function formatRatio(ratio) {
  return ratio === null || !Number.isFinite(ratio) ? '' : `${ratio.toFixed(2)}x`;
}
