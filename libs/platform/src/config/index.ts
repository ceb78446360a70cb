export * from './env-decorators';
export * from './platform-config';
export * from './load-config';
export * from './production-secrets';
