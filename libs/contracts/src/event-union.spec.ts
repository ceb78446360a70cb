// Every event class registers itself on import: load the whole catalogue so the comparison sees all.
import './index';
import { eventTypeOf, registeredEventTypes } from './envelope';
import { AUDIT_EVENT_CLASSES } from './audit/audit-event-union';
import { DOSSIER_EVENT_CLASSES } from './dossier/dossier-event-union';
import { DOSSIER_STATUS_AFTER_EVENT } from './dossier/dossier-status';
import { DOSSIER_EVENT_TYPES } from './dossier/dossier-event-types';
import { type EventOf, EVENT_CLASSES_BY_TYPE, type BackboneEvent } from './event-union';
import { HOTLINE_EVENT_CLASSES } from './hotline/hotline-event-union';
import { PARTY_FEE_EVENT_CLASSES } from './party-fee/party-fee-event-union';
import { SIGNING_EVENT_CLASSES } from './signing/signing-event-union';

describe('event unions', () => {
  it('map every registered type to its class, each producer only its own topic', () => {
    const registered = registeredEventTypes();
    expect(Object.keys(EVENT_CLASSES_BY_TYPE).sort()).toEqual(registered.map((r) => r.metadata.type).sort());
    for (const [type, eventClass] of Object.entries(EVENT_CLASSES_BY_TYPE))
      expect(eventTypeOf(eventClass).type).toBe(type);
    const producers = {
      dossier: DOSSIER_EVENT_CLASSES,
      signing: SIGNING_EVENT_CLASSES,
      hotline: HOTLINE_EVENT_CLASSES,
      'party-fee': PARTY_FEE_EVENT_CLASSES,
      audit: AUDIT_EVENT_CLASSES,
    };
    for (const [producer, classes] of Object.entries(producers))
      for (const eventClass of Object.values(classes))
        expect(eventTypeOf(eventClass).producer).toBe(producer);
  });

  it('narrow data by type without a cast', () => {
    const describe = (event: BackboneEvent): string => {
      switch (event.type) {
        case 'signature.completed.v1':
          return event.data.reference.kind; // SignatureCompletedV1, checked by tsc
        case 'dossier.received.v1':
          return event.data.dueAt;
        default:
          return event.type;
      }
    };
    const completed = { type: 'signature.completed.v1', data: { reference: { kind: 'dossier-result' } } };
    expect(describe(completed as EventOf<'signature.completed.v1'>)).toBe('dossier-result');
  });

  it('give every dossier event type a status (or none)', () => {
    expect(Object.keys(DOSSIER_STATUS_AFTER_EVENT).sort()).toEqual([...DOSSIER_EVENT_TYPES].sort());
  });
});
