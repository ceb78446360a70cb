export * from './statements';
export * from './statement-counting';
export * from './aggregate-write';
