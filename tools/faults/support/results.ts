/** One line of the fault table (bench/results/faults-latest.json `scenarios[]`). */
export interface ScenarioResult {
  fault: string;
  scenario: string;
  requestsAccepted: number;
  events: number;
  lost: number;
  duplicated: number;
  appliedTwice: number;
  deadLettered: number;
  /** From the fault healed (or the load's end, if later) to lag 0; null when it never caught up. */
  timeToCatchUpSeconds: number | null;
  reconcileDifferences: number | null;
  durationSeconds: number;
  passed: boolean;
  problems: string[];
  notes: string[];
}

const COLUMNS: { title: string; value: (r: ScenarioResult) => string; right?: boolean }[] = [
  { title: 'fault', value: (r) => r.fault },
  { title: 'requests accepted', value: (r) => String(r.requestsAccepted), right: true },
  { title: 'events', value: (r) => String(r.events), right: true },
  { title: 'lost', value: (r) => String(r.lost), right: true },
  { title: 'duplicated', value: (r) => String(r.duplicated), right: true },
  { title: 'applied twice', value: (r) => String(r.appliedTwice), right: true },
  { title: 'dead-lettered', value: (r) => String(r.deadLettered), right: true },
  {
    title: 'time to catch up',
    value: (r) => (r.timeToCatchUpSeconds === null ? 'never' : `${r.timeToCatchUpSeconds.toFixed(1)} s`),
    right: true,
  },
  { title: 'result', value: (r) => (r.passed ? 'pass' : 'FAIL') },
];

/** The table, one line per scenario, as printed and as docs/faults.md shows it (Markdown). */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => COLUMNS.map((c) => c.value(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (COLUMNS[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    line(COLUMNS.map((c) => c.title)),
    `| ${widths.map((w, i) => (COLUMNS[i]!.right ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}
