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
  /** When the change happened, RFC 3339 UTC. */
  time: string;
  datacontenttype: 'application/json';
  /** Relative URI of the event type's JSON Schema, `schemas/<type>.json`. */
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

export function dataschemaFor(type: string): string {
  return `schemas/${type}.json`;
}
