export * from './logger';
export * from './request-context';
export * from './request-context-hook';
