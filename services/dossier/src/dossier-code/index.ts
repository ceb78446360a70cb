export * from './dossier-code';
export * from './national-id';
