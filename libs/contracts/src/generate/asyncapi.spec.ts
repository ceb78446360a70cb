import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { CLOUD_EVENTS_CONTENT_TYPE, EVENT_HEADERS } from '../envelope/cloud-event';
import { registeredEventTypes } from '../envelope/event-type';
import { EVENT_TOPICS } from '../topics';
import { ASYNCAPI_PATH } from './contract-files';
import '../catalogue';

// @asyncapi/parser ships CommonJS (cjs/index.js), so it runs inside jest directly.
async function validateWithAsyncApiParser(text: string) {
  const diagnostics = await new Parser().validate(text);
  return diagnostics.map(({ severity, code, message, path }) => ({ severity, code, message, path }));
}

// Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
const ERROR = 0;
const WARNING = 1;

describe('docs/asyncapi.yaml', () => {
  const document = parse(readFileSync(ASYNCAPI_PATH, 'utf8')) as {
    asyncapi: string;
    channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
    operations: Record<string, { action: string; channel: { $ref: string } }>;
    components: { messages: Record<string, Record<string, unknown>> };
  };

  const text = readFileSync(ASYNCAPI_PATH, 'utf8');

  it('is a valid AsyncAPI 3.0 document according to @asyncapi/parser: no errors, no warnings', async () => {
    const diagnostics = await validateWithAsyncApiParser(text);
    expect(diagnostics.filter((d) => d.severity === ERROR)).toEqual([]);
    expect(diagnostics.filter((d) => d.severity === WARNING)).toEqual([]);
    expect(document.asyncapi).toBe('3.0.0');
  }, 60_000);

  it('the parser really reports errors (the check is not vacuous)', async () => {
    const broken = text.replace('address: dossier.events.v1', 'address: 42\n    nonsense: true');
    const diagnostics = await validateWithAsyncApiParser(broken);
    expect(diagnostics.filter((d) => d.severity === ERROR).length).toBeGreaterThan(0);
  }, 60_000);

  it('has one channel per event topic, each published by its producer', () => {
    const addresses = Object.values(document.channels).map((channel) => channel.address);
    expect(addresses.sort()).toEqual([...EVENT_TOPICS].sort());
    for (const [id] of Object.entries(document.channels)) {
      const publishers = Object.values(document.operations).filter(
        (op) => op.channel.$ref === `#/channels/${id}`,
      );
      expect(publishers.map((op) => op.action)).toEqual(['send']);
    }
  });

  it.each(
    registeredEventTypes().map(({ metadata, eventClass }) => [
      metadata.type,
      metadata.topic,
      eventClass.name,
    ]),
  )('%s is a message on %s with its key, headers and payload', (type, topic, className) => {
    const channel = Object.values(document.channels).find((c) => c.address === topic)!;
    expect(channel.messages[className]).toEqual({ $ref: `#/components/messages/${className}` });
    const message = document.components.messages[className]!;
    expect(message).toMatchObject({
      name: type,
      contentType: CLOUD_EVENTS_CONTENT_TYPE,
      headers: {
        required: [EVENT_HEADERS.type, EVENT_HEADERS.id, EVENT_HEADERS.contentType],
        properties: { [EVENT_HEADERS.type]: { const: type } },
      },
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEvent' },
          { properties: { data: { $ref: `#/components/schemas/${className}` } } },
        ],
      },
      bindings: { kafka: { key: { type: 'string' } } },
    });
  });
});
