export * from './event-catalogue';
export * from './catalogue-page';
