export * from './problem-details';
export * from './problem-details.filter';
export * from './validation';
/** Per-route rate limits: `@Throttle({ default: { limit: 10, ttl: 60_000 } })`, `@SkipThrottle()`. */
export { SkipThrottle, Throttle } from '@nestjs/throttler';
export * from './security-headers';
export * from './bounded-dates';
export * from './csv';
