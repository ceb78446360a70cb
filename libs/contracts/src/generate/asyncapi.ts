import {
  CLOUD_EVENTS_CONTENT_TYPE,
  type CloudEvent,
  EVENT_HEADERS,
  sourceFor,
} from '../envelope/cloud-event';
import { UUID_V7_PATTERN } from '../envelope/uuid-v7';
import type { EventSchema, JsonSchema } from './json-schema';

/** The AsyncAPI 3.0 document of every topic, key, header and message, as a plain object. */
export function asyncApiDocument(input: {
  version: string;
  envelope: JsonSchema;
  events: EventSchema[];
  fixtures: Map<string, CloudEvent>;
}): Record<string, unknown> {
  const { envelope, events, fixtures } = input;
  const topics = [...new Set(events.map((event) => event.metadata.topic))].sort();

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const topic of topics) {
    const onTopic = events.filter((event) => event.metadata.topic === topic);
    const producer = onTopic[0]!.metadata.producer;
    const aggregates = [...new Set(onTopic.map((event) => event.metadata.aggregate))].sort();
    const channelId = camel(`${producer}-events`);
    channels[channelId] = {
      address: topic,
      title: topic,
      description:
        `Events of the ${producer} service (aggregates: ${aggregates.join(', ')}). ` +
        'Key = the aggregate id (the CloudEvent subject), so one aggregate keeps its order. ' +
        'Partition count comes from configuration.',
      messages: Object.fromEntries(
        onTopic.map((event) => [event.className, { $ref: `#/components/messages/${event.className}` }]),
      ),
      bindings: { kafka: { topic, bindingVersion: '0.5.0' } },
    };
    operations[camel(`publish-${producer}-events`)] = {
      action: 'send',
      title: `The ${producer} service publishes`,
      summary: `Published by ${sourceFor(producer)} through its transactional outbox.`,
      channel: { $ref: `#/channels/${channelId}` },
      messages: onTopic.map((event) => ({ $ref: `#/channels/${channelId}/messages/${event.className}` })),
    };
  }

  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { CloudEvent: withoutIdentity(envelope) };
  for (const event of events) {
    const { type, aggregate, description } = event.metadata;
    schemas[event.className] = withoutIdentity(event.schema);
    const fixture = fixtures.get(type);
    messages[event.className] = {
      name: type,
      title: event.className,
      summary: description,
      contentType: CLOUD_EVENTS_CONTENT_TYPE,
      correlationId: {
        description: 'The CloudEvent correlationid extension.',
        location: '$message.payload#/correlationid',
      },
      headers: {
        type: 'object',
        properties: {
          [EVENT_HEADERS.type]: { description: 'Copy of the CloudEvent type.', type: 'string', const: type },
          [EVENT_HEADERS.id]: {
            description: 'Copy of the CloudEvent id (UUIDv7).',
            type: 'string',
            pattern: UUID_V7_PATTERN.source,
          },
          [EVENT_HEADERS.contentType]: { type: 'string', const: CLOUD_EVENTS_CONTENT_TYPE },
        },
        required: [EVENT_HEADERS.type, EVENT_HEADERS.id, EVENT_HEADERS.contentType],
      },
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEvent' },
          {
            type: 'object',
            properties: {
              type: { const: type },
              source: { const: sourceFor(event.metadata.producer) },
              dataschema: { const: event.schema.$id },
              data: { $ref: `#/components/schemas/${event.className}` },
            },
          },
        ],
      },
      bindings: {
        kafka: {
          key: { description: `The CloudEvent subject: the ${aggregate} id.`, type: 'string', minLength: 1 },
          bindingVersion: '0.5.0',
        },
      },
      ...(fixture
        ? {
            examples: [
              {
                name: 'fixture',
                summary: `libs/contracts/fixtures/${type}.json`,
                headers: {
                  [EVENT_HEADERS.type]: fixture.type,
                  [EVENT_HEADERS.id]: fixture.id,
                  [EVENT_HEADERS.contentType]: CLOUD_EVENTS_CONTENT_TYPE,
                },
                payload: fixture,
              },
            ],
          }
        : {}),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Two-tier backbone events',
      version: input.version,
      description:
        'Every event topic of the backbone, generated from libs/contracts (do not edit by hand: ' +
        '`npm run contracts:generate`). Values are CloudEvents 1.0 in structured JSON mode; ' +
        'consumer groups park failed records in `<group>.dlq`.',
    },
    defaultContentType: CLOUD_EVENTS_CONTENT_TYPE,
    servers: {
      development: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local broker started by infra/kafka/start.sh.',
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}

function withoutIdentity(schema: JsonSchema): JsonSchema {
  // $schema/$id belong to the standalone files; inside AsyncAPI they would redefine base URIs.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { $schema, $id, ...rest } = schema;
  return rest;
}

function camel(kebab: string): string {
  return kebab.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
