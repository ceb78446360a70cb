/**
 * Signed audit-chain checkpoints of every service (libs/platform), so that a copy of each lives
 * outside the service's database; key = the service database's name.
 */
export const AUDIT_EVENTS_TOPIC = 'audit.events.v1';
export const AUDIT_PRODUCER = 'audit';
