import { deadLetterTopicFor, KAFKA_CLIENT, type KafkaClient } from '@backbone/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReportingConfig } from '../config';
import { parsePrometheusText, type Sample } from './prometheus-text';

const PROBE_TIMEOUT_MS = 3_000;
const METRIC_FAMILIES = new Set([
  'outbox_backlog_messages',
  'outbox_oldest_unpublished_age_seconds',
  'kafka_consumer_lag_messages',
  'kafka_dead_letters_total',
]);

export interface ServiceHealth {
  name: string;
  url: string;
  /** /health/ready answered 200 (null: it did not answer). */
  ready: boolean | null;
  /** Each readiness check (database, kafka, and the service's own) as up or down. */
  checks: Record<string, 'up' | 'down'>;
  outbox: { backlog: number; oldestAgeSeconds: number } | null;
  consumerLag: { group: string; topic: string; partition: number; lag: number }[];
  /** Dead letters this process parked since it started (the topics hold them all: see deadLetters). */
  deadLetteredSinceStart: number;
  problems: string[];
}

export interface PipelineHealth {
  measuredAt: string;
  broker: { up: boolean; latencyMs: number | null; problem: string | null };
  services: ServiceHealth[];
  deadLetters: { group: string; topic: string; count: number | null; replayable: boolean }[];
  rebuilds: {
    generation: number;
    status: string;
    createdAt: string;
    switchedAt: string | null;
    eventsApplied: number | null;
    current: boolean;
  }[];
}

/**
 * The pipeline as operations staff see it: each service's readiness (database, broker) and its
 * outbox and consumer figures from its own /metrics, the dead letters waiting in each group's
 * `<group>.dlq`, the broker's answer and the projection rebuilds. Services come from
 * PIPELINE_SERVICES (npm start passes every service it discovers), so a new one appears here
 * without a change to this code or the dashboard's.
 */
@Injectable()
export class PipelineHealthService {
  private readonly services: { name: string; url: string }[];
  private readonly metricsToken: string | undefined;

  constructor(
    private readonly config: ReportingConfig,
    private readonly dataSource: DataSource,
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
  ) {
    this.services = (config.PIPELINE_SERVICES ?? []).map((entry) => {
      const at = entry.indexOf('=');
      return { name: entry.slice(0, at), url: entry.slice(at + 1).replace(/\/$/, '') };
    });
    if (this.services.length === 0)
      this.services.push({ name: 'reporting', url: `http://127.0.0.1:${config.PORT}` });
    this.metricsToken = config.PIPELINE_METRICS_TOKEN ?? config.METRICS_TOKEN;
  }

  /** The consumer group whose dead letters this service can replay itself: its own. */
  get ownGroup(): string {
    return this.config.REPORTING_CONSUMER_GROUP;
  }

  async snapshot(): Promise<PipelineHealth> {
    const [services, broker, rebuilds] = await Promise.all([
      Promise.all(this.services.map((service) => this.probe(service))),
      this.brokerHealth(),
      this.rebuilds(),
    ]);
    const groups = new Set<string>([this.ownGroup]);
    for (const service of services) for (const lag of service.consumerLag) groups.add(lag.group);
    const deadLetters = await this.deadLetterCounts([...groups].sort());
    return { measuredAt: new Date().toISOString(), broker, services, deadLetters, rebuilds };
  }

  private async probe(service: { name: string; url: string }): Promise<ServiceHealth> {
    const health: ServiceHealth = {
      ...service,
      ready: null,
      checks: {},
      outbox: null,
      consumerLag: [],
      deadLetteredSinceStart: 0,
      problems: [],
    };
    const [ready, metrics] = await Promise.allSettled([
      fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }),
      fetch(`${service.url}/metrics`, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        ...(this.metricsToken ? { headers: { authorization: `Bearer ${this.metricsToken}` } } : {}),
      }),
    ]);
    if (ready.status === 'fulfilled') {
      health.ready = ready.value.ok;
      const body = (await ready.value.json().catch(() => ({}))) as {
        details?: Record<string, { status?: string }>;
      };
      for (const [check, detail] of Object.entries(body.details ?? {}))
        health.checks[check] = detail?.status === 'up' ? 'up' : 'down';
    } else {
      health.problems.push(`/health/ready: ${describe(ready.reason)}`);
    }
    if (metrics.status === 'fulfilled' && metrics.value.ok) {
      this.readMetrics(health, parsePrometheusText(await metrics.value.text(), METRIC_FAMILIES));
    } else {
      health.problems.push(
        `/metrics: ${metrics.status === 'fulfilled' ? `HTTP ${metrics.value.status}` : describe(metrics.reason)}`,
      );
    }
    return health;
  }

  private readMetrics(health: ServiceHealth, samples: Sample[]): void {
    let backlog: number | null = null;
    let oldest = 0;
    for (const sample of samples) {
      switch (sample.name) {
        case 'outbox_backlog_messages':
          backlog = (backlog ?? 0) + sample.value;
          break;
        case 'outbox_oldest_unpublished_age_seconds':
          oldest = Math.max(oldest, sample.value);
          break;
        case 'kafka_consumer_lag_messages':
          health.consumerLag.push({
            group: sample.labels.group ?? '',
            topic: sample.labels.topic ?? '',
            partition: Number(sample.labels.partition ?? -1),
            lag: sample.value,
          });
          break;
        case 'kafka_dead_letters_total':
          health.deadLetteredSinceStart += sample.value;
          break;
      }
    }
    if (backlog !== null) health.outbox = { backlog, oldestAgeSeconds: oldest };
    health.consumerLag.sort(
      (a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition,
    );
  }

  private async brokerHealth(): Promise<PipelineHealth['broker']> {
    const started = Date.now();
    try {
      await withTimeout(
        this.kafka.withAdmin((admin) => admin.topicOffsets(this.config.REPORTING_TOPICS[0]!)),
        PROBE_TIMEOUT_MS,
      );
      return { up: true, latencyMs: Date.now() - started, problem: null };
    } catch (error) {
      return { up: false, latencyMs: null, problem: describe(error) };
    }
  }

  private async deadLetterCounts(groups: string[]): Promise<PipelineHealth['deadLetters']> {
    return Promise.all(
      groups.map(async (group) => {
        const topic = deadLetterTopicFor(group);
        const count = await withTimeout(
          this.kafka.withAdmin(async (admin) =>
            (await admin.topicOffsets(topic)).reduce(
              (sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)),
              0,
            ),
          ),
          PROBE_TIMEOUT_MS,
        ).catch(() => null);
        return { group, topic, count, replayable: group === this.ownGroup };
      }),
    );
  }

  private async rebuilds(): Promise<PipelineHealth['rebuilds']> {
    const rows: {
      generation: number;
      status: string;
      created_at: Date;
      switched_at: Date | null;
      events_applied: string | null;
      current: boolean;
    }[] = await this.dataSource.query(
      `SELECT g.generation, g.state AS status, g.created_at, g.switched_at, g.events_applied::text,
              (c.generation IS NOT NULL) AS current
         FROM reporting_generation g LEFT JOIN reporting_current c USING (generation)
        ORDER BY g.generation DESC LIMIT 5`,
    );
    return rows.map((row) => ({
      generation: row.generation,
      status: row.status,
      createdAt: new Date(row.created_at).toISOString(),
      switchedAt: row.switched_at ? new Date(row.switched_at).toISOString() : null,
      eventsApplied: row.events_applied === null ? null : Number(row.events_applied),
      current: row.current,
    }));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
