export * from './field-cipher';
export * from './keyed-hash';
export * from './masking';
export * from './personal-fields';
