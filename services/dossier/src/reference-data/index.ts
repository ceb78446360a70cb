export * from './procedure';
export * from './procedure-csv';
export * from './reference-data';
