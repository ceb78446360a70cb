export * from './idempotency-key.entity';
export * from './idempotency-store';
export * from './idempotency.interceptor';
