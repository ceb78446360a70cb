import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CLOUD_EVENTS_CONTENT_TYPE,
  type CloudEvent as BackboneEvent,
  registeredEventTypes,
} from '@backbone/contracts';
import { readTopic, readTopicUntil, type TopicRecord } from '@backbone/testing';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describeRejection, sdkEventOf } from './cloud-event-check';
import {
  type EventsTestService,
  publishEveryFixture,
  startEventsTestService,
} from './support/events-test-service';

/*
 * Issue 18: the records the backbone writes are CloudEvents by the official CNCF SDK (`cloudevents`
 * on npm, its Kafka binding, strict validation), and each `dataschema` URL taken from a live record
 * resolves over HTTP to the schema that validates the record's data. Every catalogue type is
 * published from its fixture through a real service's outbox and relay (new types join by
 * themselves: the list comes from the catalogue), plus whatever the service publishes on its own
 * (its signed audit checkpoints).
 */

describe('records on the broker are valid for the official CloudEvents SDK (Kafka binding, strict)', () => {
  let events: EventsTestService;
  let published: BackboneEvent[];
  let records: TopicRecord[];

  beforeAll(async () => {
    events = await startEventsTestService();
    published = await publishEveryFixture(events);
    records = [];
    const expectedPerTopic = new Map<string, number>();
    for (const event of published) {
      const topic = events.topicFor(
        registeredEventTypes().find((t) => t.metadata.type === event.type)!.metadata.topic,
      );
      expectedPerTopic.set(topic, (expectedPerTopic.get(topic) ?? 0) + 1);
    }
    for (const [topic, expected] of expectedPerTopic) records.push(...(await readTopic(topic, expected)));
  }, 180_000);

  afterAll(async () => {
    await events?.close();
  });

  it('publishes one record per catalogue type, each accepted by Kafka.toEvent + validate(): 0 rejected', () => {
    const types = registeredEventTypes().map(({ metadata }) => metadata.type);
    const rejected: string[] = [];
    const seen = new Set<string>();
    for (const record of records) {
      try {
        const event = sdkEventOf(record);
        seen.add(event.type);
      } catch (error) {
        rejected.push(`${record.topic}@${record.offset}: ${describeRejection(error)}`);
      }
    }
    expect(rejected).toEqual([]);
    expect([...seen].sort()).toEqual([...types].sort());
  });

  it('follows the binding exactly: structured content type, key = partitionkey = subject, type/id headers', () => {
    const sent = new Map(published.map((event) => [event.id, event]));
    // The fixtures (the audit topic also holds the service's own checkpoints: checked below).
    const ofFixtures = records.filter((record) => sent.has(record.headers.ce_id ?? ''));
    expect(ofFixtures).toHaveLength(published.length);
    for (const record of ofFixtures) {
      expect(record.headers['content-type']).toBe('application/cloudevents+json; charset=UTF-8');
      expect(record.headers['content-type']).toBe(CLOUD_EVENTS_CONTENT_TYPE);
      const event = sdkEventOf(record);
      const original = sent.get(event.id)!;
      expect(original).toBeDefined();
      expect(record.key).toBe(original.subject);
      expect(event.partitionkey).toBe(record.key);
      expect(event.subject).toBe(record.key);
      expect(record.headers.ce_type).toBe(event.type);
      expect(record.headers.ce_id).toBe(event.id);
      expect(event.dataschema).toBe(`${events.baseUrl}schemas/${event.type}.json`);
      // The value is the JSON event format, nothing added or lost on the way.
      expect(JSON.parse(record.value!.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(original)));
    }
  });

  it('each dataschema from a live record resolves (application/schema+json, immutable, ETag) and validates its data', async () => {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const envelopeResponse = await fetch(`${events.baseUrl}schemas/cloudevent.json`);
    expect(envelopeResponse.headers.get('content-type')).toBe('application/schema+json');
    const envelope = ajv.compile((await envelopeResponse.json()) as object);
    for (const record of records) {
      const event = JSON.parse(record.value!.toString('utf8')) as BackboneEvent;
      expect(envelope(event) ? [] : envelope.errors).toEqual([]);
      const response = await fetch(event.dataschema);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/schema+json');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      const schema = (await response.json()) as { $id: string };
      expect(schema.$id).toBe(event.dataschema);
      const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
      expect(validate(event.data) ? [] : validate.errors).toEqual([]);
    }
  });

  it('`curl` of a dataschema URL taken from a live record returns the schema', async () => {
    const event = JSON.parse(records[0]!.value!.toString('utf8')) as BackboneEvent;
    // Asynchronously: the service answering it runs in this process.
    const curl = await promisify(execFile)('curl', ['-fsS', '-D', '-', event.dataschema], {
      timeout: 10_000,
    });
    const [head, body] = curl.stdout.split(/\r?\n\r?\n/, 2) as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head.toLowerCase()).toContain('content-type: application/schema+json');
    expect((JSON.parse(body) as { $id: string }).$id).toBe(event.dataschema);
  });

  it('covers what the service publishes by itself too: its signed audit checkpoint at start-up', async () => {
    const fixtureIds = new Set(published.map((event) => event.id));
    const own = (
      await readTopicUntil(events.topicFor('audit.events.v1'), (all) => {
        if (!all.some((record) => !fixtureIds.has(record.headers.ce_id ?? '')))
          throw new Error('no checkpoint yet');
      })
    ).filter((record) => !fixtureIds.has(record.headers.ce_id ?? ''));
    expect(own.length).toBeGreaterThan(0);
    for (const record of own) {
      expect(sdkEventOf(record).type).toBe('audit.checkpoint.v1');
      expect(sdkEventOf(record).dataschema).toBe(`${events.baseUrl}schemas/audit.checkpoint.v1.json`);
    }
  });

  it('the check is not vacuous: a record with the old relative dataschema is rejected by the SDK', () => {
    const record = records[0]!;
    const legacy = JSON.parse(record.value!.toString('utf8')) as Record<string, unknown>;
    legacy.dataschema = `schemas/${String(legacy.type)}.json`;
    expect(() => sdkEventOf({ ...record, value: Buffer.from(JSON.stringify(legacy)) })).toThrow();
  });
});
