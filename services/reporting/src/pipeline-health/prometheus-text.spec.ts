import { parsePrometheusText } from './prometheus-text';

describe('parsePrometheusText', () => {
  const text = [
    '# HELP outbox_backlog_messages Outbox rows not yet published to Kafka',
    '# TYPE outbox_backlog_messages gauge',
    'outbox_backlog_messages{service="dossier"} 12',
    'outbox_oldest_unpublished_age_seconds{service="dossier"} 3.5',
    'kafka_consumer_lag_messages{group="reporting",topic="dossier.events.v1",partition="0"} 7',
    'kafka_consumer_lag_messages{group="reporting",topic="a\\"b",partition="1"} 0',
    'http_request_duration_seconds_bucket{le="0.1"} 5',
    'kafka_dead_letters_total{group="reporting",reason="invalid-json"} 2',
    'garbage line without value',
  ].join('\n');

  it('reads the wanted families with their labels and skips the rest', () => {
    const samples = parsePrometheusText(
      text,
      new Set(['outbox_backlog_messages', 'kafka_consumer_lag_messages', 'kafka_dead_letters_total']),
    );
    expect(samples).toEqual([
      { name: 'outbox_backlog_messages', labels: { service: 'dossier' }, value: 12 },
      {
        name: 'kafka_consumer_lag_messages',
        labels: { group: 'reporting', topic: 'dossier.events.v1', partition: '0' },
        value: 7,
      },
      {
        name: 'kafka_consumer_lag_messages',
        labels: { group: 'reporting', topic: 'a"b', partition: '1' },
        value: 0,
      },
      { name: 'kafka_dead_letters_total', labels: { group: 'reporting', reason: 'invalid-json' }, value: 2 },
    ]);
  });

  it('reads a sample without labels and ignores a malformed one', () => {
    expect(parsePrometheusText('up 1\nup{ 2\n', new Set(['up']))).toEqual([
      { name: 'up', labels: {}, value: 1 },
    ]);
  });
});
