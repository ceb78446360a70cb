import { randomBytes } from 'node:crypto';
import { eventually } from '@backbone/testing';
import { metricsNamedByMonitoring } from './monitoring-files';
import { type CollectedSpan, type OtlpCollector, startOtlpCollector } from './otlp-collector';
import { familiesInExposition, isExported, PROMETHEUS_OWN_SERIES } from './promql-metric-names';
import { startStack, type StackUnderTest } from './stack-under-test';

const WARD = '00070'; // Phường Hoàn Kiếm
const RESIDENCE = '1.004194'; // Đăng ký tạm trú: no signed result

// SpanKind in OTLP: 2 server, 4 producer, 5 consumer.
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

/**
 * Issue 16, monitoring and tracing, against every service as its own process (discovered as
 * `npm start` discovers them: a new service joins by itself), with real Kafka and PostgreSQL:
 * - every metric an alert rule or a Grafana panel names is on some service's /metrics;
 * - one dossier's trace runs from the officer's intake (dossier) through the outbox and Kafka to the
 *   reporting projection under one trace id, as the services export it over OTLP to an in-memory
 *   collector (the test), each under its own service name.
 */
describe('the running stack: metrics for the monitoring, one trace across services', () => {
  let collector: OtlpCollector;
  let stack: StackUnderTest;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    stack = await startStack({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      // Export within a fraction of a second instead of every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
      REPORTING_LAG_POLL_MS: '1000',
    });
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    await collector?.close();
  });

  it('exports every metric the alert rules and the dashboards name', async () => {
    const exported = new Map<string, string>();
    const exportedBy = new Map<string, string[]>();
    for (const service of stack.services) {
      const response = await fetch(`${service.baseUrl}/metrics`);
      expect({ service: service.name, status: response.status }).toEqual({
        service: service.name,
        status: 200,
      });
      for (const [name, type] of familiesInExposition(await response.text())) {
        exported.set(name, type);
        exportedBy.set(name, [...(exportedBy.get(name) ?? []), service.name]);
      }
    }
    const named = metricsNamedByMonitoring();
    const missing = [...named]
      .filter(([name]) => !PROMETHEUS_OWN_SERIES.has(name) && !isExported(name, exported))
      .map(([name, where]) => `${name} (named by ${[...new Set(where)].join('; ')})`);
    expect(missing).toEqual([]);
    // The checks above are not vacuous: the pipeline metrics come from every service.
    expect(exportedBy.get('outbox_oldest_unpublished_age_seconds')?.sort()).toEqual(
      stack.services.map((service) => service.name).sort(),
    );
    expect(exportedBy.get('service_dependency_up')?.length).toBe(stack.services.length);
  });

  it('follows one dossier from the intake to the reporting projection under one trace id', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const token = await stack.token(['officer'], [WARD]);
    const response = await fetch(`${stack.service('dossier').baseUrl}/dossiers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        // The officer's desk application (or a gateway) started the trace.
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({
        unitCode: WARD,
        procedureCode: RESIDENCE,
        channel: 'direct',
        digitised: true,
        applicant: { fullName: 'Nguyễn Văn An', nationalId: '001099012345' },
      }),
    });
    expect(response.status).toBe(201);
    const dossier = (await response.json()) as { id: string };

    const inTrace = (): CollectedSpan[] => collector.spans().filter((span) => span.traceId === traceId);
    const projected = (spans: CollectedSpan[]) =>
      spans.find(
        (span) =>
          span.service === 'reporting' &&
          span.kind === CONSUMER &&
          span.attributes['cloudevents.event_type'] === 'dossier.received.v1',
      );
    await eventually(
      async () => {
        if (!projected(inTrace())) throw new Error(`no reporting span yet: ${JSON.stringify(inTrace())}`);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    const spans = inTrace();
    const intake = spans.find((span) => span.service === 'dossier' && span.kind === SERVER);
    expect(intake).toMatchObject({ name: 'POST /dossiers', parentSpanId: callerSpanId, statusCode: 0 });
    expect(intake?.attributes['http.response.status_code']).toBe(201);
    // The relay's publish span and reporting's projection both continue the intake's span: the
    // envelope's traceparent is the intake's.
    const publish = spans.find(
      (span) =>
        span.service === 'dossier' &&
        span.kind === PRODUCER &&
        span.attributes['cloudevents.event_type'] === 'dossier.received.v1',
    );
    expect(publish).toMatchObject({
      name: `publish ${stack.topicOf('dossier')}`,
      parentSpanId: intake!.spanId,
    });
    const projection = projected(spans)!;
    expect(projection).toMatchObject({
      name: 'process dossier.received.v1',
      parentSpanId: intake!.spanId,
      statusCode: 0,
    });
    expect(projection.attributes).toMatchObject({
      'messaging.destination.name': stack.topicOf('dossier'),
      'cloudevents.event_subject': dossier.id,
    });
    // One trace across the services: the producer, reporting, and every other consumer of the
    // dossier's event (signing and hotline read dossier.events.v1 too) continue it; nothing else does.
    const services = [...new Set(spans.map((span) => span.service))].sort();
    expect(services).toEqual(expect.arrayContaining(['dossier', 'reporting']));
    const consumers = ['dossier', 'reporting', 'signing', 'hotline'];
    expect(services.filter((service) => !consumers.includes(service))).toEqual([]);
  });
});
