import { AUDIT_EVENTS_TOPIC } from './audit/topic';
import { DOSSIER_EVENTS_TOPIC } from './dossier/topic';
import { HOTLINE_EVENTS_TOPIC } from './hotline/topic';
import { PARTY_FEE_EVENTS_TOPIC } from './party-fee/topic';
import { SIGNING_EVENTS_TOPIC } from './signing/topic';

/** Every event topic, one per producing service (`<service>.events.v1`). */
export const EVENT_TOPICS = [
  DOSSIER_EVENTS_TOPIC,
  SIGNING_EVENTS_TOPIC,
  HOTLINE_EVENTS_TOPIC,
  PARTY_FEE_EVENTS_TOPIC,
  AUDIT_EVENTS_TOPIC,
] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** Where a consumer group parks records it cannot process: `<group>.dlq`. */
export function dlqTopicFor(groupId: string): string {
  if (!groupId) throw new Error('dlqTopicFor needs a consumer group id');
  return `${groupId}.dlq`;
}
