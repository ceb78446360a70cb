export * from './authenticated-user';
export * from './authentication.guard';
export * from './decorators';
export * from './dev-keys';
export * from './jwt-verifier';
