// A plain text table: the header, a rule, the rows; numbers right-aligned.
export function formatTable(header, rows) {
  const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const cell = (value, i) =>
    typeof value === 'number' ? String(value).padStart(widths[i]) : String(value).padEnd(widths[i]);
  return [
    header.map((h, i) => String(h).padEnd(widths[i])).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => r.map(cell).join('  ')),
  ].join('\n');
}
