export * from './roles.guard';
export * from './unit-scope';
export * from './service-clients';
