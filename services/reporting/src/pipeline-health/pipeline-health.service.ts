import {
  DEAD_LETTER_OPERATIONS,
  type DeadLetterOperations,
  deadLetterTopicFor,
  KAFKA_CLIENT,
  type KafkaClient,
  type ServiceConsumerGroups,
} from '@backbone/messaging';
import { BadGatewayException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReportingConfig } from '../config';
import { parsePrometheusText, type Sample } from './prometheus-text';

const PROBE_TIMEOUT_MS = 3_000;
/** Reading or replaying another service's dead letters reads its dead-letter topic: give it time. */
const OWNER_TIMEOUT_MS = 30_000;
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
  /**
   * Per consumer group of every service: its dead letters waiting, the service that owns the group
   * (null: no service answered for it) and whether that service can replay them now.
   */
  deadLetters: {
    group: string;
    topic: string;
    count: number | null;
    replayable: boolean;
    service: string | null;
  }[];
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
    @Inject(DEAD_LETTER_OPERATIONS) private readonly deadLetterOps: DeadLetterOperations,
  ) {
    this.services = (config.PIPELINE_SERVICES ?? []).map((entry) => {
      const at = entry.indexOf('=');
      return { name: entry.slice(0, at), url: entry.slice(at + 1).replace(/\/$/, '') };
    });
    if (this.services.length === 0)
      this.services.push({ name: 'reporting', url: `http://127.0.0.1:${config.PORT}` });
    this.metricsToken = config.PIPELINE_METRICS_TOKEN ?? config.METRICS_TOKEN;
  }

  /**
   * `authorization`: the caller's bearer token, passed on to each service's `/ops/consumer-groups`
   * (the services check the caller's roles themselves). Without it, only this service's groups.
   */
  async snapshot(authorization?: string): Promise<PipelineHealth> {
    const [services, broker, rebuilds, ownGroups, otherGroups] = await Promise.all([
      Promise.all(this.services.map((service) => this.probe(service))),
      this.brokerHealth(),
      this.rebuilds(),
      this.deadLetterOps.groups(),
      this.otherServicesGroups(authorization),
    ]);
    const deadLetters: PipelineHealth['deadLetters'] = [];
    for (const answer of [ownGroups, ...otherGroups.answers])
      for (const group of answer.groups) deadLetters.push({ ...group, service: answer.service });
    for (const problem of otherGroups.problems)
      services.find((service) => service.name === problem.service)?.problems.push(problem.problem);
    // A group seen only in the lag metrics (its service has no /ops/consumer-groups): counted, not replayable.
    const known = new Set(deadLetters.map((entry) => entry.group));
    const unowned = new Set<string>();
    for (const service of services)
      for (const lag of service.consumerLag) if (!known.has(lag.group)) unowned.add(lag.group);
    for (const entry of await this.deadLetterCounts([...unowned]))
      deadLetters.push({ ...entry, replayable: false, service: null });
    deadLetters.sort((a, b) => a.group.localeCompare(b.group));
    return { measuredAt: new Date().toISOString(), broker, services, deadLetters, rebuilds };
  }

  /** The service (of PIPELINE_SERVICES) that declares the consumer group; 404 when none does. */
  async ownerOf(group: string, authorization?: string): Promise<{ name: string; url: string }> {
    const { answers } = await this.otherServicesGroups(authorization);
    const owner = answers.find((answer) => answer.groups.some((entry) => entry.group === group));
    const service = owner && this.services.find((candidate) => candidate.name === owner.service);
    if (!service) throw new NotFoundException(`No service of the pipeline has the consumer group ${group}`);
    return service;
  }

  /**
   * Asks the owning service's ops endpoint with the caller's token; its refusals (403, 404, 409, 400)
   * are answered as they are, its failures as 502.
   */
  async askOwner<T>(
    owner: { name: string; url: string },
    authorization: string | undefined,
    request: { method: 'GET' | 'POST'; path: string; body?: unknown },
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${owner.url}${request.path}`, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(authorization ? { authorization } : {}),
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(OWNER_TIMEOUT_MS),
      });
    } catch (error) {
      throw new BadGatewayException(`${owner.name} did not answer: ${describe(error)}`);
    }
    const body = (await response.json().catch(() => null)) as unknown;
    if (response.ok) return body as T;
    if (response.status >= 400 && response.status < 500) {
      const detail = (body as { detail?: unknown } | null)?.detail;
      throw new HttpException(
        typeof detail === 'string' ? detail : `${owner.name} answered ${response.status}`,
        response.status,
      );
    }
    throw new BadGatewayException(`${owner.name} answered ${response.status}`);
  }

  /** Every other service's consumer groups, from its `/ops/consumer-groups` (404: it has none). */
  private async otherServicesGroups(authorization?: string): Promise<{
    answers: ServiceConsumerGroups[];
    problems: { service: string; problem: string }[];
  }> {
    const answers: ServiceConsumerGroups[] = [];
    const problems: { service: string; problem: string }[] = [];
    if (!authorization) return { answers, problems };
    const others = this.services.filter((service) => service.name !== this.deadLetterOps.serviceName);
    await Promise.all(
      others.map(async (service) => {
        try {
          const response = await fetch(`${service.url}/ops/consumer-groups`, {
            headers: { accept: 'application/json', authorization },
            signal: AbortSignal.timeout(PROBE_TIMEOUT_MS * 2),
          });
          if (response.status === 404) return;
          if (!response.ok) {
            problems.push({
              service: service.name,
              problem: `/ops/consumer-groups: HTTP ${response.status}`,
            });
            return;
          }
          const answer = (await response.json()) as ServiceConsumerGroups;
          answers.push({ service: service.name, groups: answer.groups ?? [] });
        } catch (error) {
          problems.push({ service: service.name, problem: `/ops/consumer-groups: ${describe(error)}` });
        }
      }),
    );
    return { answers, problems };
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

  private async deadLetterCounts(
    groups: string[],
  ): Promise<{ group: string; topic: string; count: number | null }[]> {
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
        return { group, topic, count };
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
