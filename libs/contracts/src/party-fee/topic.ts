/** The party-fee service's topic; key = party member id. */
export const PARTY_FEE_EVENTS_TOPIC = 'party-fee.events.v1';
export const PARTY_FEE_PRODUCER = 'party-fee';
