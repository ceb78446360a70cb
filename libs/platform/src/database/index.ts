export * from './statements';
export * from './service-role';
export * from './migrate-as-owner';
export * from './statement-counting';
export * from './aggregate-write';
export * from './change-aggregate';
