import { familiesInExposition, isExported, metricNamesIn } from './promql-metric-names';
import { alertRuleExpressions, dashboardExpressions } from './monitoring-files';

describe('metricNamesIn (the metric names a PromQL expression reads)', () => {
  it.each([
    ['up{job="backbone"} == 0', ['up']],
    [
      'sum by (service) (rate(http_request_duration_seconds_count{status_code=~"5.."}[5m])) / sum by (service) (rate(http_request_duration_seconds_count[5m])) > 0.05',
      ['http_request_duration_seconds_count'],
    ],
    [
      'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{route!~"/health/.*|/metrics"}[5m]))) > 1',
      ['http_request_duration_seconds_bucket'],
    ],
    [
      'x_total > 0 unless on (group) sum by (group) (rate(y_total[10m])) > 0 and ignoring(a, b) z',
      ['x_total', 'y_total', 'z'],
    ],
    ['max(dossiers_overdue_open) - max(dossiers_overdue_open offset 1h) > 1e1', ['dossiers_overdue_open']],
    ['count(ALERTS{alertstate="firing"}) or vector(0)', ['ALERTS']],
    ['label_values(up{job="backbone"}, service)', ['up']],
    ['label_values(service)', []],
    ['max_over_time(a:recorded[1h:5m]) * on (x) group_left (y, z) b', ['a:recorded', 'b']],
    ['rate(c_total{service=~"$service"}[$__rate_interval])', ['c_total']],
  ])('%s', (expression, names) => {
    expect(metricNamesIn(expression)).toEqual([...names].sort());
  });
});

describe('isExported', () => {
  const families = familiesInExposition(
    [
      '# HELP a_seconds x',
      '# TYPE a_seconds histogram',
      'a_seconds_bucket{le="1"} 0',
      '# TYPE b_total counter',
      '# TYPE c summary',
    ].join('\n'),
  );

  it('knows a family by its name and a histogram or summary by its series', () => {
    expect(isExported('a_seconds_bucket', families)).toBe(true);
    expect(isExported('a_seconds_count', families)).toBe(true);
    expect(isExported('b_total', families)).toBe(true);
    expect(isExported('c_sum', families)).toBe(true);
    expect(isExported('c_bucket', families)).toBe(false);
    expect(isExported('b_total_count', families)).toBe(false);
    expect(isExported('nothing', families)).toBe(false);
  });
});

describe('the monitoring files', () => {
  it('have alert rules and dashboard queries to check (the parsers found them)', () => {
    expect(alertRuleExpressions().map((e) => e.where)).toEqual(
      expect.arrayContaining([
        'alerts.yml: ServiceDown',
        'alerts.yml: KafkaConsumerLagGrowing',
        'alerts.yml: OutboxOldestEventTooOld',
        'alerts.yml: DeadLettersParked',
        'alerts.yml: HighErrorRate',
        'alerts.yml: HighLatencyP99',
        'alerts.yml: OverdueDossiersRising',
        'alerts.yml: SigningCertificatesExpiringSoon',
      ]),
    );
    expect(dashboardExpressions().length).toBeGreaterThan(20);
  });
});
