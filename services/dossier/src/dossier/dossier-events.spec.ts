import { eventClassFor } from '@backbone/contracts';
import { CONSUMED_EVENT_TYPES } from './dossier-events';

describe('dossier event types agree with @backbone/contracts', () => {
  it('consumes a type the contracts catalogue knows', () => {
    for (const type of CONSUMED_EVENT_TYPES) expect(eventClassFor(type)).toBeDefined();
  });
});
