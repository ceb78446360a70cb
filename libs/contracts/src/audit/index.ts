export * from './topic';
export * from './audit-checkpoint.v1';
export * from './audit-event-union';
