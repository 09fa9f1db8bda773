import { oneLine } from './terminal.mjs';

// A plain text table: the header, a rule, the rows; numbers right-aligned. Text cells often hold task text
// (titles, results, errors), so they are shown without control sequences and on one line.
export function formatTable(header, rows) {
  header = header.map(oneLine);
  rows = rows.map((row) => row.map((value) => (typeof value === 'number' ? value : oneLine(value))));
  const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const cell = (value, i) =>
    typeof value === 'number' ? String(value).padStart(widths[i]) : String(value).padEnd(widths[i]);
  return [
    header.map((h, i) => String(h).padEnd(widths[i])).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => r.map(cell).join('  ')),
  ].join('\n');
}
