export * from './topic';
export * from './audit-checkpoint.v1';
