import {
  DOSSIER_EVENTS_TOPIC as CONTRACT_TOPIC,
  eventClassFor,
  registeredEventTypes,
} from '@backbone/contracts';
import { CONSUMED_EVENT_TYPES, DOSSIER_EVENT_TYPES, DOSSIER_EVENTS_TOPIC } from './dossier-events';

describe('dossier event types agree with @backbone/contracts', () => {
  it('publishes exactly the dossier.events.v1 types of the contracts catalogue', () => {
    expect(DOSSIER_EVENTS_TOPIC).toBe(CONTRACT_TOPIC);
    const contractTypes = registeredEventTypes()
      .filter(({ metadata }) => metadata.topic === CONTRACT_TOPIC)
      .map(({ metadata }) => metadata.type)
      .sort();
    expect([...DOSSIER_EVENT_TYPES].sort()).toEqual(contractTypes);
  });

  it('consumes a type the contracts catalogue knows', () => {
    for (const type of CONSUMED_EVENT_TYPES) expect(eventClassFor(type)).toBeDefined();
  });
});
