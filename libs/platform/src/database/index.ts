export * from './statements';
export * from './statement-counting';
