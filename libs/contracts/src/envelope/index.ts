export * from './uuid-v7';
export * from './cloud-event';
export * from './event-errors';
export * from './event-type';
export * from './build-event';
export * from './parse-event';
export * from './typed-cloud-event';
export * from './trace-context';
