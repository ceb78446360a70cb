import { type CloudEvent, parseEvent } from '@backbone/contracts';
import { createTestTopics, readTopic, uniqueName } from '@backbone/testing';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { addToOutbox, type EventContext, InboxProcessor, OutboxRelay, parseRecord } from '../src';
import { orderPlaced, placeOrder, setUpTestDb, testClient, type TestDb } from './support';
import { TEST_TOPIC } from './test-events';

/**
 * The CloudEvents distributed-tracing extension through the messaging lib, with an in-memory span
 * exporter: an event added to the outbox inside a span carries its traceparent (envelope and outbox
 * row), the relay's publish span and a consumer's process span continue that trace, and an event the
 * consumer writes carries it on. Without tracing nothing is added.
 */
describe('tracing through the outbox, Kafka and the inbox', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let db: TestDb;
  let relay: OutboxRelay;

  beforeAll(async () => {
    await createTestTopics([{ topic: TEST_TOPIC, numPartitions: 1 }]);
    db = await setUpTestDb('messaging_tracing');
    relay = new OutboxRelay({ dataSource: db.dataSource, client: testClient(), serviceName: 'tracing-test' });
  });

  afterAll(async () => {
    await relay?.stop();
    await db?.close();
    trace.disable();
    context.disable();
    propagation.disable();
    await provider.shutdown();
  });

  async function publishAndRead(event: CloudEvent): Promise<CloudEvent> {
    const before = await readTopic(TEST_TOPIC, 0);
    relay.start();
    const records = await readTopic(TEST_TOPIC, before.length + 1);
    await relay.stop();
    const record = records.find((r) => JSON.parse(r.value!.toString('utf8')).id === event.id)!;
    return parseEvent(record.value);
  }

  it('without tracing: no trace attributes in the envelope or the outbox, no spans', async () => {
    const event = orderPlaced(uniqueName('order'), 1);
    await db.dataSource.transaction((manager) => placeOrder(manager, event));
    const [row] = await db.dataSource.query(`SELECT traceparent, payload FROM outbox WHERE event_id = $1`, [
      event.id,
    ]);
    expect(row.traceparent).toBeNull();
    expect(JSON.parse(row.payload)).not.toHaveProperty('traceparent');
    const published = await publishAndRead(event);
    expect(published.traceparent).toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('with tracing: one trace from the producing span through publish and process to the next event', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    const tracer = trace.getTracer('test');

    const event = orderPlaced(uniqueName('order'), 1);
    const request = tracer.startSpan('POST /orders', { kind: SpanKind.SERVER });
    await context.with(trace.setSpan(context.active(), request), () =>
      db.dataSource.transaction((manager) => placeOrder(manager, event)),
    );
    request.end();
    const { traceId, spanId } = request.spanContext();
    const traceparent = `00-${traceId}-${spanId}-01`;
    const [row] = await db.dataSource.query(`SELECT traceparent, payload FROM outbox WHERE event_id = $1`, [
      event.id,
    ]);
    expect(row.traceparent).toBe(traceparent);
    expect(JSON.parse(row.payload).traceparent).toBe(traceparent);

    const published = await publishAndRead(event);
    expect(published.traceparent).toBe(traceparent);

    // A consumer whose handler writes an event of its own: that one continues the trace.
    const follower = orderPlaced(uniqueName('order'), 1);
    const processor = new InboxProcessor(db.dataSource, uniqueName('tracing_group'), {
      async handle(_event: CloudEvent, manager, _position: EventContext) {
        await addToOutbox(manager, [follower]);
      },
    });
    const record = {
      topic: TEST_TOPIC,
      partition: 0,
      offset: '0',
      key: published.subject,
      value: Buffer.from(JSON.stringify(published)),
      headers: {},
      timestamp: '0',
    };
    expect(await processor.apply([parseRecord(record)])).toEqual({ applied: 1, duplicates: 0 });

    const spans = exporter.getFinishedSpans();
    const byKind = (kind: SpanKind): ReadableSpan | undefined => spans.find((span) => span.kind === kind);
    const publish = byKind(SpanKind.PRODUCER)!;
    const processing = byKind(SpanKind.CONSUMER)!;
    expect(publish.name).toBe(`publish ${TEST_TOPIC}`);
    expect(publish.parentSpanContext?.spanId).toBe(spanId);
    expect(processing.name).toBe('process test-order.placed.v1');
    expect(processing.parentSpanContext?.spanId).toBe(spanId);
    expect(processing.attributes['cloudevents.event_id']).toBe(event.id);
    for (const span of spans) expect(span.spanContext().traceId).toBe(traceId);

    const [next] = await db.dataSource.query(`SELECT traceparent FROM outbox WHERE event_id = $1`, [
      follower.id,
    ]);
    expect(next.traceparent).toBe(`00-${traceId}-${processing.spanContext().spanId}-01`);
  });
});
