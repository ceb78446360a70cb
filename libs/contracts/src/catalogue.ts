import * as audit from './audit';
import * as dossier from './dossier';
import type { EventClass } from './envelope/event-type';
import * as hotline from './hotline';
import * as partyFee from './party-fee';
import * as signing from './signing';

function eventClassesOf(module: Record<string, unknown>): EventClass[] {
  // Every class exported by a producer folder whose name ends in V<N> is an event payload.
  return Object.entries(module)
    .filter(([name, value]) => typeof value === 'function' && /V[1-9][0-9]*$/.test(name))
    .map(([, value]) => value as EventClass);
}

/**
 * Every event class of the catalogue. Referencing the producer modules here is what makes
 * `import '@backbone/contracts'` register all of them, so that `parseEvent` knows every type.
 */
export const EVENT_CLASSES: readonly EventClass[] = [
  ...eventClassesOf(dossier),
  ...eventClassesOf(signing),
  ...eventClassesOf(hotline),
  ...eventClassesOf(partyFee),
  ...eventClassesOf(audit),
];
