import { CLOUD_EVENTS_CONTENT_TYPE, type CloudEvent, EVENT_HEADERS } from '@backbone/contracts';
import type { OutgoingMessage } from './kafka-client';

/** The Kafka record for one event: key = subject, value = the structured JSON, type and id copied to headers. */
export function eventMessage(
  eventId: string,
  eventType: string,
  key: string,
  value: string,
): OutgoingMessage {
  return {
    key,
    value,
    headers: {
      [EVENT_HEADERS.type]: eventType,
      [EVENT_HEADERS.id]: eventId,
      [EVENT_HEADERS.contentType]: CLOUD_EVENTS_CONTENT_TYPE,
    },
  };
}

export function toOutgoingMessage(event: CloudEvent): OutgoingMessage {
  return eventMessage(event.id, event.type, event.subject, JSON.stringify(event));
}
