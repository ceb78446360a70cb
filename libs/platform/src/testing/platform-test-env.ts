import { randomBytes } from 'node:crypto';

/**
 * A complete, valid set of platform variables for tests, with fresh random keys. Override or
 * delete entries to test a service's own configuration or a failure.
 */
export function platformTestEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test_platform',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    JWT_ISSUER: 'https://sso.test/realms/hanoi',
    JWT_AUDIENCE: 'backbone',
    JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nreplaced-by-tests\n-----END PUBLIC KEY-----',
    PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PII_ACTIVE_KEY_ID: 'k1',
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    PSEUDONYM_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    // A deployment's catalogue address (reserved .test name): production refuses none or a loopback one.
    EVENT_SCHEMA_BASE_URL: 'https://backbone.test/events/',
    ...overrides,
  };
}
