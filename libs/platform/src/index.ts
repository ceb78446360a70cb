export * from './config';
export * from './testing/platform-test-env';
