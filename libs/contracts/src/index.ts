// Loaded first: event classes use decorators that read the Reflect metadata API.
import 'reflect-metadata';
export * from './envelope';
export * from './shared/validators';
export * from './shared/schema-hint';
export * from './dossier';
export * from './signing';
export * from './hotline';
export * from './party-fee';
export * from './audit';
export * from './topics';
export * from './catalogue';
export * from './event-union';
export * from './fixtures';
export * from './catalogue-documents';
