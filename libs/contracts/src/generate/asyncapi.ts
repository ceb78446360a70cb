import {
  CLOUD_EVENTS_CONTENT_TYPE,
  type CloudEvent,
  dataschemaFor,
  EVENT_HEADERS,
  sourceFor,
} from '../envelope/cloud-event';
import { UUID_V7_PATTERN } from '../envelope/uuid-v7';
import type { EventSchema, JsonSchema } from './json-schema';

/** What a reader of the catalogue needs about ordering, on every channel and message. */
const ORDERING =
  'Ordered per key only: the events of one aggregate (one key, one partition) arrive in `sequence` order; ' +
  'there is no order across aggregates, partitions or topics.';

/**
 * The AsyncAPI 3.0 document of every topic, key, header and message, as a plain object.
 * `schemaBaseUrl` is the catalogue base the `dataschema` URLs are under (the checked-in document
 * uses the development one; each service serves it with its deployment's).
 */
export function asyncApiDocument(input: {
  version: string;
  envelope: JsonSchema;
  events: EventSchema[];
  fixtures: Map<string, CloudEvent>;
  schemaBaseUrl: string;
}): Record<string, unknown> {
  const { envelope, events, fixtures, schemaBaseUrl } = input;
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
        'Key = the aggregate id (the CloudEvent subject and partitionkey), so one aggregate keeps its order. ' +
        `${ORDERING} Partition count comes from configuration.`,
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
    const schemaUrl = dataschemaFor(type, schemaBaseUrl);
    messages[event.className] = {
      name: type,
      title: event.className,
      summary: description,
      description: messageDescription(event, events, fixture, schemaBaseUrl),
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
              dataschema: { const: schemaUrl },
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
        "consumer groups park failed records in `<group>.dlq`. Each type's JSON Schema is at its `dataschema` URL, " +
        `the envelope schema at ${schemaBaseUrl}schemas/cloudevent.json; how to consume: docs/consuming-events.md.`,
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

/**
 * Per message, in Markdown (the catalogue page renders it): producer, topic, key, ordering,
 * schema URL and the version history of the type (every version the catalogue still holds).
 */
function messageDescription(
  event: EventSchema,
  events: EventSchema[],
  fixture: CloudEvent | undefined,
  schemaBaseUrl: string,
): string {
  const { type, topic, producer, aggregate } = event.metadata;
  const family = type.replace(/\.v[1-9][0-9]*$/, '');
  const versions = events
    .map((other) => other.metadata.type)
    .filter((other) => other.replace(/\.v[1-9][0-9]*$/, '') === family)
    .sort((a, b) => versionOf(a) - versionOf(b));
  const keyField = fixture
    ? Object.entries(fixture.data as Record<string, unknown>).find(
        ([, value]) => value === fixture.subject,
      )?.[0]
    : undefined;
  const schemaUrl = dataschemaFor(type, schemaBaseUrl);
  const latest = versions[versions.length - 1];
  return [
    `**Producer:** the ${producer} service (source \`${sourceFor(producer)}\`), through its transactional outbox.`,
    '',
    `**Topic:** \`${topic}\``,
    '',
    `**Key:** the ${aggregate} id — the record key equals the CloudEvent \`subject\` and \`partitionkey\`` +
      (keyField ? ` (\`data.${keyField}\`).` : '.'),
    '',
    `**Ordering:** ${ORDERING}`,
    '',
    `**Schema:** [${schemaUrl}](${schemaUrl}) (JSON Schema draft-07; the envelope: [cloudevent.json](${schemaBaseUrl}schemas/cloudevent.json)).`,
    '',
    '**Version history:**',
    '',
    ...versions.map((version) => {
      const url = dataschemaFor(version, schemaBaseUrl);
      const note = version === type ? ' — this version' : version === latest ? ' — the newest version' : '';
      return `- \`${version}\`: [schema](${url})${note}${version !== latest ? ', published until consumers move to the newest' : ''}`;
    }),
    '',
    'Within a version only optional fields are ever added (the compatibility baseline guards it), so a ' +
      "version's schema URL never changes and a cached copy still validates every event of that version.",
  ].join('\n');
}

function versionOf(type: string): number {
  return Number(/\.v([1-9][0-9]*)$/.exec(type)?.[1] ?? 0);
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
