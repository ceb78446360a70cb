import { Counter, Gauge, type Metric, register } from 'prom-client';

// Metrics live in prom-client's default registry (served at /metrics by the platform lib).
// Several relays or consumers may live in one process (tests, replay): reuse what exists.
function singleton<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const outboxBacklog = singleton(
  'outbox_backlog_messages',
  () =>
    new Gauge({
      name: 'outbox_backlog_messages',
      help: 'Outbox rows not yet published to Kafka',
      labelNames: ['service'],
    }),
);

export const outboxOldestAge = singleton(
  'outbox_oldest_unpublished_age_seconds',
  () =>
    new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when none)',
      labelNames: ['service'],
    }),
);

export const outboxPublished = singleton(
  'outbox_published_total',
  () =>
    new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows published to Kafka',
      labelNames: ['service'],
    }),
);

export const consumerLag = singleton(
  'kafka_consumer_lag_messages',
  () =>
    new Gauge({
      name: 'kafka_consumer_lag_messages',
      help: 'Records between the committed offset and the end of the partition',
      labelNames: ['group', 'topic', 'partition'],
    }),
);

export const deadLettered = singleton(
  'kafka_dead_letters_total',
  () =>
    new Counter({
      name: 'kafka_dead_letters_total',
      help: 'Records parked in <group>.dlq',
      labelNames: ['group', 'reason'],
    }),
);

export const consumedEvents = singleton(
  'kafka_consumed_events_total',
  () =>
    new Counter({
      name: 'kafka_consumed_events_total',
      help: 'Events handled by a consumer group, by outcome',
      labelNames: ['group', 'outcome'],
    }),
);
