/**
 * A CloudEvents 1.0 event in structured JSON mode, with this backbone's extensions.
 * This is exactly the JSON written as the Kafka record value.
 */
export interface CloudEvent<TData extends object = object> {
  specversion: '1.0';
  /** UUIDv7, unique per event; consumers deduplicate on it. */
  id: string;
  /** `/two-tier-backbone/<service>`. */
  source: string;
  /** `<aggregate>.<past-tense verb>.v<N>`. */
  type: string;
  /** The aggregate id (also the Kafka key, so one aggregate's events stay in order). */
  subject: string;
  /**
   * Extension (CloudEvents Partitioning): the Kafka record key, equal to `subject`. Set by every
   * producer since issue 18; absent on older records.
   */
  partitionkey?: string;
  /** When the change happened, RFC 3339 UTC. */
  time: string;
  datacontenttype: 'application/json';
  /**
   * Absolute URL of the event type's JSON Schema: the deployment's catalogue base URL +
   * `schemas/<type>.json` (see {@link dataschemaFor}). Records written before issue 18 carry the
   * relative reference `schemas/<type>.json`, which resolves against the same base.
   */
  dataschema: string;
  data: TData;
  /** Extension: the 5-digit administrative unit code (or a city department code) owning the record: the tenant. */
  unitcode: string;
  /** Extension: id of the request or process that started this chain of events. */
  correlationid: string;
  /** Extension: id of the event or request that directly caused this one. */
  causationid?: string;
  /** Extension: per-aggregate version, 1 for the aggregate's first event, +1 each event. */
  sequence: number;
  /**
   * Extension (CloudEvents distributed tracing): the W3C `traceparent` of the span that produced the
   * event, e.g. the HTTP request that changed the aggregate; consumers continue that trace. Absent
   * when the producer does not trace.
   */
  traceparent?: string;
  /** Extension (CloudEvents distributed tracing): the W3C `tracestate` beside `traceparent`. */
  tracestate?: string;
}

/** Kafka headers every producer sets, so that routers need not parse bodies. */
export const EVENT_HEADERS = {
  type: 'ce_type',
  id: 'ce_id',
  contentType: 'content-type',
} as const;

export const CLOUD_EVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

export function sourceFor(producer: string): string {
  return `/two-tier-backbone/${producer}`;
}

/**
 * Where `npm start` serves the event catalogue (the reporting service, docs/adr/0013): the base
 * of `dataschema` in a process that was not configured otherwise (tests, benchmarks, tools).
 */
export const DEVELOPMENT_EVENT_SCHEMA_BASE_URL = 'http://127.0.0.1:3105/events/';

let schemaBaseUrl = DEVELOPMENT_EVENT_SCHEMA_BASE_URL;

/**
 * The catalogue base URL as `dataschema` uses it: an absolute http(s) URL without credentials,
 * query or fragment, ending in `/`. Throws on anything else, naming what is wrong.
 */
export function normaliseSchemaBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`event schema base URL "${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`event schema base URL "${value}" must be http(s)`);
  if (url.username || url.password) throw new Error('event schema base URL must not hold credentials');
  if (url.search || url.hash || value.includes('?') || value.includes('#'))
    throw new Error(`event schema base URL "${value}" must not have a query or fragment`);
  const text = url.href;
  return text.endsWith('/') ? text : `${text}/`;
}

/**
 * Sets the deployment's catalogue base URL for every event this process builds from now on
 * (libs/platform does it at start-up from EVENT_SCHEMA_BASE_URL). Returns the normalised value.
 */
export function setEventSchemaBaseUrl(value: string): string {
  schemaBaseUrl = normaliseSchemaBaseUrl(value);
  return schemaBaseUrl;
}

/** The catalogue base URL events built in this process carry. */
export function eventSchemaBaseUrl(): string {
  return schemaBaseUrl;
}

/** A type's schema relative to the catalogue base: `schemas/<type>.json`. Never changes for a version. */
export function schemaPathFor(type: string): string {
  return `schemas/${type}.json`;
}

/** The `dataschema` of a type: the absolute URL of its JSON Schema under the catalogue base. */
export function dataschemaFor(type: string, baseUrl: string = schemaBaseUrl): string {
  return `${baseUrl}${schemaPathFor(type)}`;
}
