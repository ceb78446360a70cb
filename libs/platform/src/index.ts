export * from './auth';
export * from './authz';
export * from './config';
export * from './http';
export * from './observability';
export * from './pii';
export * from './testing/platform-test-env';
