/** The hotline (1022 / iHanoi) service's topic; key = call, report or app-account id. */
export const HOTLINE_EVENTS_TOPIC = 'hotline.events.v1';
export const HOTLINE_PRODUCER = 'hotline';
