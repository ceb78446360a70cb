export * from './local-date';
export * from './hanoi-day';
export * from './lunar-calendar';
export * from './public-holidays';
export * from './working-calendar';
export * from './working-time';
export * from './due-date';
export * from './official-calendar';
