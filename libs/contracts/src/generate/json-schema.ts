import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { ValidationTypes, IS_ISO8601, MAX, MIN } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { EVENT_HEADERS, schemaPathFor } from '../envelope/cloud-event';
import { type EventTypeMetadata, registeredEventTypes } from '../envelope/event-type';
import { UUID_V7_PATTERN } from '../envelope/uuid-v7';
import { TRACEPARENT_PATTERN, TRACESTATE_MAX_LENGTH, TRACESTATE_PATTERN } from '../envelope/trace-context';
import { schemaHintOf } from '../shared/schema-hint';
import { UNIT_CODE_PATTERN, UTC_TIMESTAMP_PATTERN } from '../shared/validators';
import type { ClassDocs } from './tsdoc';

export type JsonSchema = Record<string, unknown>;

interface ClassSchema {
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** Generated `data` schema of one event type. */
export interface EventSchema {
  metadata: EventTypeMetadata;
  className: string;
  schema: JsonSchema;
}

/**
 * One draft-07 JSON Schema per registered event type, describing its `data`, built from the
 * class-validator metadata of the event classes (so schema and validation cannot disagree)
 * and the TSDoc of their fields. Nested classes are inlined: each schema stands alone.
 *
 * `additionalProperties` stays open on purpose: consumers are tolerant readers, so a producer
 * may add an optional field within a version before every consumer knows it.
 */
export function eventDataSchemas(docs: Map<string, ClassDocs>): EventSchema[] {
  const classSchemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/definitions/',
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: {
      // Times are validated as ISO-8601 *and* a UTC pattern; the schema says date-time (RFC 3339).
      [IS_ISO8601]: { type: 'string', format: 'date-time' },
      // The library's MIN/MAX also set type: number, which would override IsInt's integer.
      [MIN]: (meta) => ({ minimum: meta.constraints[0] as number }),
      [MAX]: (meta) => ({ maximum: meta.constraints[0] as number }),
      // @IsDefined adds `not: {type: null}`; `required` already says it.
      [ValidationTypes.IS_DEFINED]: {},
    },
  }) as Record<string, ClassSchema>;

  return registeredEventTypes().map(({ metadata, eventClass }) => {
    const data = inlineClass(eventClass.name, classSchemas, docs, []);
    const schema: JsonSchema = {
      $schema: JSON_SCHEMA_DIALECT,
      $id: schemaPathFor(metadata.type),
      title: eventClass.name,
      description: metadata.description,
      ...data,
      ...(schemaHintOf(eventClass) ?? {}),
    };
    return { metadata, className: eventClass.name, schema: normalise(schema) as JsonSchema };
  });
}

function inlineClass(
  className: string,
  classSchemas: Record<string, ClassSchema>,
  docs: Map<string, ClassDocs>,
  path: string[],
): JsonSchema {
  const classSchema = classSchemas[className];
  if (!classSchema) throw new Error(`No class-validator metadata for ${className}`);
  if (path.includes(className))
    throw new Error(`Recursive event payload ${[...path, className].join(' → ')}`);
  const classDocs = docs.get(className);
  const properties: Record<string, JsonSchema> = {};
  for (const [field, fieldSchema] of Object.entries(classSchema.properties ?? {})) {
    const description = classDocs?.fields.get(field);
    if (!description) {
      throw new Error(`${className}.${field} has no TSDoc: every event field must say what it means`);
    }
    const { $ref, ...rest } = fieldSchema as JsonSchema & { $ref?: string };
    const resolved =
      typeof $ref === 'string'
        ? inlineClass($ref.replace('#/definitions/', ''), classSchemas, docs, [...path, className])
        : rest;
    properties[field] = { description, ...resolved };
  }
  return {
    type: 'object',
    properties,
    ...(classSchema.required?.length ? { required: classSchema.required } : {}),
  };
}

/** The envelope schema relative to the catalogue base. */
export const ENVELOPE_SCHEMA_PATH = 'schemas/cloudevent.json';

/** The CloudEvents 1.0 envelope as this backbone writes it (structured JSON mode). */
export function envelopeSchema(): JsonSchema {
  return normalise({
    $schema: JSON_SCHEMA_DIALECT,
    $id: ENVELOPE_SCHEMA_PATH,
    title: 'CloudEvent',
    description:
      'CloudEvents 1.0 envelope, structured JSON mode, with the backbone extensions unitcode, correlationid, ' +
      `causationid and sequence, partitionkey (CloudEvents Partitioning), and the distributed-tracing extension ` +
      `(traceparent, tracestate). The Kafka key is \`subject\` (= \`partitionkey\`); the headers ${EVENT_HEADERS.type} and ` +
      `${EVENT_HEADERS.id} copy \`type\` and \`id\`. \`data\` is described by the schema named in \`dataschema\`.`,
    type: 'object',
    properties: {
      specversion: { description: 'CloudEvents version.', const: '1.0' },
      id: {
        description: 'UUIDv7, unique per event; consumers deduplicate on it.',
        type: 'string',
        pattern: UUID_V7_PATTERN.source,
      },
      source: {
        description: 'The producing service, `/two-tier-backbone/<service>`.',
        type: 'string',
        pattern: '^/two-tier-backbone/[a-z][a-z-]*$',
      },
      type: {
        description: '`<aggregate>.<past-tense verb>.v<N>`.',
        type: 'string',
        pattern: '^[a-z][a-z-]*\\.[a-z][a-z-]*\\.v[1-9][0-9]*$',
      },
      subject: { description: 'The aggregate id; also the Kafka key.', type: 'string', minLength: 1 },
      partitionkey: {
        description:
          'Extension (CloudEvents Partitioning): the Kafka record key, equal to `subject`; absent on records written before it was added.',
        type: 'string',
        minLength: 1,
      },
      time: {
        description: 'When the change happened, RFC 3339 UTC.',
        type: 'string',
        format: 'date-time',
        pattern: UTC_TIMESTAMP_PATTERN.source,
      },
      datacontenttype: { description: 'Always JSON.', const: 'application/json' },
      dataschema: {
        description:
          "Absolute URL of the `data` schema: the deployment's catalogue base URL (EVENT_SCHEMA_BASE_URL) + " +
          '`schemas/<type>.json`; it answers with the JSON Schema (application/schema+json). Never changes for a version.',
        type: 'string',
        format: 'uri',
        pattern: '^https?://[^\\s/?#@]+(/[^\\s?#]*)?/schemas/[a-z.-]+\\.v[1-9][0-9]*\\.json$',
      },
      data: { description: 'The event payload; its schema depends on `type`.', type: 'object' },
      unitcode: {
        description:
          'Extension: the administrative unit (5-digit code) or city department owning the record: the tenant.',
        type: 'string',
        pattern: UNIT_CODE_PATTERN.source,
      },
      correlationid: {
        description: 'Extension: id of the request or process that started this chain of events.',
        type: 'string',
        minLength: 1,
      },
      causationid: {
        description: 'Extension: id of the event or request that directly caused this one.',
        type: 'string',
        minLength: 1,
      },
      sequence: {
        description: "Extension: per-aggregate version, 1 for the aggregate's first event, +1 per event.",
        type: 'integer',
        minimum: 1,
      },
      traceparent: {
        description:
          'Extension (CloudEvents distributed tracing): the W3C traceparent of the span that produced the event; consumers continue its trace. Absent when the producer does not trace.',
        type: 'string',
        pattern: TRACEPARENT_PATTERN.source,
      },
      tracestate: {
        description: 'Extension (CloudEvents distributed tracing): the W3C tracestate beside traceparent.',
        type: 'string',
        pattern: TRACESTATE_PATTERN.source,
        maxLength: TRACESTATE_MAX_LENGTH,
      },
    },
    required: [
      'specversion',
      'id',
      'source',
      'type',
      'subject',
      'time',
      'datacontenttype',
      'data',
      'unitcode',
      'correlationid',
      'sequence',
    ],
  }) as JsonSchema;
}

const KEY_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'const',
  'format',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'properties',
  'required',
  'if',
  'then',
  'else',
];

/** Stable key order, so that regenerating yields the same text and diffs stay readable. */
export function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const rank = (key: string) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);
  entries.sort(([a], [b]) => rank(a) - rank(b) || (rank(a) === KEY_ORDER.length ? a.localeCompare(b) : 0));
  return Object.fromEntries(
    entries.map(([k, v]) => [k, k === 'properties' ? normaliseMap(v) : normalise(v)]),
  );
}

function normaliseMap(map: unknown): unknown {
  // Property names keep the class's declaration order; only their schemas are normalised.
  return Object.fromEntries(
    Object.entries(map as Record<string, unknown>).map(([k, v]) => [k, normalise(v)]),
  );
}
