export * from './local-date';
export * from './lunar-calendar';
export * from './public-holidays';
export * from './working-calendar';
export * from './working-time';
export * from './due-date';
