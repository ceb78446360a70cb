/**
 * The metric names a PromQL expression reads, e.g. `rate(http_request_duration_seconds_count{x="y"}[5m])`
 * → `http_request_duration_seconds_count`. Enough of PromQL for what alert rules and dashboards
 * write: strings, label matchers, ranges and offsets, grouping clauses (`by (…)`, `on (…)`,
 * `group_left (…)`), function calls, keywords and numbers are not metric names; Grafana's
 * `label_values(metric, label)` reads `metric`.
 */
export function metricNamesIn(expression: string): string[] {
  let text = expression
    // String literals (label values, regexes, label_replace arguments).
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    // Label matchers and selectors' braces.
    .replace(/\{[^{}]*\}/g, ' ')
    // Range and subquery durations: [5m], [1h:5m].
    .replace(/\[[^\]]*\]/g, ' ')
    // offset 1h / @ 123.
    .replace(/\boffset\s+-?[0-9a-z]+/gi, ' ')
    .replace(/@\s*[0-9.]+/g, ' ');
  // Grouping and matching clauses list label names, not metrics.
  text = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  // Grafana's variable queries: label_values(metric, label) reads metric; label_values(label) none.
  text = text
    .replace(/\blabel_values\s*\(([^(),]*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)/g, ' $1 ')
    .replace(/\blabel_values\s*\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = match[0];
    const after = text.slice(match.index + name.length);
    if (/^\s*\(/.test(after)) continue; // a function call (or an aggregation)
    if (KEYWORDS.has(name.toLowerCase())) continue;
    // A number's exponent or a duration's unit: `1e3`, `5m` were digits before the letters.
    const before = text[match.index - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue;
    names.add(name);
  }
  return [...names].sort();
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'inf',
  'nan',
]);

/**
 * Series Prometheus makes itself (scrape health, alert state) or that a histogram or summary family
 * exports under its own name: a name matches a family `f` of type histogram when it is `f_bucket`,
 * `f_sum` or `f_count`, of type summary when it is `f`, `f_sum` or `f_count`.
 */
export const PROMETHEUS_OWN_SERIES = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
]);

/** Metric families from a Prometheus text exposition: name → type (`# TYPE name type`). */
export function familiesInExposition(text: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) (\w+)$/gm))
    families.set(match[1]!, match[2]!);
  return families;
}

/** Whether `name` is a series of one of `families` (by its own name or a histogram's/summary's suffix). */
export function isExported(name: string, families: ReadonlyMap<string, string>): boolean {
  if (families.has(name)) return true;
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!suffix) return false;
  const type = families.get(suffix[1]!);
  if (type === 'histogram') return true;
  return type === 'summary' && suffix[2] !== 'bucket';
}
