export * from './platform-migrations';
export * from './run-service-migrations';
