import { registeredEventTypes } from '../envelope';
import '../catalogue';
import { DOSSIER_EVENT_TYPES } from './dossier-event-types';
import { DOSSIER_EVENTS_TOPIC } from './topic';

describe('DOSSIER_EVENT_TYPES', () => {
  it('lists exactly the event classes registered on dossier.events.v1', () => {
    const registered = registeredEventTypes()
      .filter(({ metadata }) => metadata.topic === DOSSIER_EVENTS_TOPIC)
      .map(({ metadata }) => metadata.type)
      .sort();
    expect([...DOSSIER_EVENT_TYPES].sort()).toEqual(registered);
  });
});
