export * from './roles.guard';
export * from './unit-scope';
