export * from './statements';
export * from './service-role';
export * from './migrate-as-owner';
