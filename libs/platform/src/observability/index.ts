export * from './logger';
export * from './request-context';
export * from './request-context-hook';
export * from './health.controller';
export * from './readiness-details';
export * from './kafka-tcp-ping';
export * from './metrics';
