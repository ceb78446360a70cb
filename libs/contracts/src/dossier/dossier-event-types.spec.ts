import { registeredEventTypes } from '../envelope';
import '../catalogue';
import { DOSSIER_EVENT_TYPES } from './dossier-event-types';
import { DOSSIER_EVENTS_TOPIC } from './topic';

describe('DOSSIER_EVENT_TYPES', () => {
  it('lists exactly the dossier event classes registered on dossier.events.v1', () => {
    const registered = registeredEventTypes()
      .filter(({ metadata }) => metadata.topic === DOSSIER_EVENTS_TOPIC && metadata.aggregate === 'dossier')
      .map(({ metadata }) => metadata.type)
      .sort();
    expect([...DOSSIER_EVENT_TYPES].sort()).toEqual(registered);
  });

  it('leaves out only the reference-data events the dossier service also publishes (the official calendar)', () => {
    const others = registeredEventTypes()
      .filter(({ metadata }) => metadata.topic === DOSSIER_EVENTS_TOPIC && metadata.aggregate !== 'dossier')
      .map(({ metadata }) => metadata.type);
    expect(others).toEqual(['calendar.official-year-set.v1']);
  });
});
