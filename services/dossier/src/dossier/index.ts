export * from './dossier-events';
export * from './dossier-lifecycle';
