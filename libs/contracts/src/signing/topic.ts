/** The signing service's topic; key = signature id or certificate serial. */
export const SIGNING_EVENTS_TOPIC = 'signing.events.v1';
export const SIGNING_PRODUCER = 'signing';
