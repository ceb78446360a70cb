export * from './idempotency-key.entity';
export * from './idempotency-store';
export * from './idempotency.interceptor';
export * from './idempotency-in-statement';
