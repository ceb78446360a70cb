/** The dossier service's topic; key = dossier id. */
export const DOSSIER_EVENTS_TOPIC = 'dossier.events.v1';
export const DOSSIER_PRODUCER = 'dossier';
