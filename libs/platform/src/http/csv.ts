/**
 * CSV for exports, safe to open in a spreadsheet (OWASP "CSV injection"): a text cell that starts
 * with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula, so it is prefixed
 * with a single quote. Numbers stay numbers (a negative figure is not text). Every CSV export uses
 * this, never its own join.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised if it could start a formula, quoted if it holds `"`, `,` or a line break. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line from the union of the rows' keys (first-seen order), then one line per row; CRLF. */
export function toCsv(rows: readonly Record<string, CsvValue>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [
    columns.map(csvCell).join(','),
    ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
