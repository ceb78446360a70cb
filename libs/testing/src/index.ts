export * from './eventually';
export * from './unique-name';
export * from './test-database';
export * from './test-kafka';
export * from './read-topic';
export * from './test-tokens';
export * from './dev-oidc-process';
export * from './service-process';
