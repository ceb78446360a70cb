import { randomBytes } from 'node:crypto';
import { platformTestEnv } from '../testing/platform-test-env';
import { EnvInt, EnvString } from './env-decorators';
import { NotFoundException } from '@nestjs/common';
import { DEVELOPMENT_AUDIT_KEY } from '../audit/audit-chain';
import { assertMetricsAccess } from '../observability/metrics';
import { ConfigError, loadConfig } from './load-config';
import { PlatformConfig } from './platform-config';

/** Kafka as production accepts it (kafka-security-config.spec.ts tests the refusals). */
const PRODUCTION_KAFKA = {
  KAFKA_AUTH: 'scram',
  KAFKA_SASL_USERNAME: 'dossier',
  KAFKA_SASL_PASSWORD: 'a-generated-scram-password',
  KAFKA_SSL: 'true',
};

function problemsOf(
  env: Record<string, string | undefined>,
  schema: new () => PlatformConfig = PlatformConfig,
) {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

class DossierTestConfig extends PlatformConfig {
  @EnvString({ expected: 'the agency id used in dossier codes, e.g. 000.00.70.H26' })
  AGENCY_ID!: string;

  @EnvInt({ min: 1, max: 64, optional: true })
  DOSSIER_PARTITIONS = 6;
}

describe('loadConfig', () => {
  it('returns typed values with defaults for a complete environment', () => {
    const config = loadConfig(
      PlatformConfig,
      platformTestEnv({ PORT: '8081', KAFKA_BROKERS: 'a:9092, b:9093' }),
    );
    expect(config.PORT).toBe(8081);
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(config.BODY_LIMIT_BYTES).toBe(1_048_576);
    expect(config.JWT_ALGORITHMS).toEqual(['RS256', 'ES256']);
    expect(config.SWAGGER_ENABLED).toBe(true);
  });

  it('names a missing variable and what is expected', () => {
    const error = problemsOf(platformTestEnv({ DATABASE_URL: undefined }));
    expect(error.problems).toEqual([
      {
        variable: 'DATABASE_URL',
        expected: expect.stringMatching(/^is required \(must be a URL with scheme postgres:/),
      },
    ]);
    expect(error.message).toMatch(/DATABASE_URL: is required/);
  });

  it('treats an empty value as missing', () => {
    const error = problemsOf(platformTestEnv({ JWT_ISSUER: '' }));
    expect(error.problems.map((problem) => problem.variable)).toEqual(['JWT_ISSUER']);
  });

  it('reports every invalid variable at once, without echoing values', () => {
    const error = problemsOf(
      platformTestEnv({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        KAFKA_BROKERS: 'no-port',
        BLIND_INDEX_KEY: 'c2hvcnQ=',
      }),
    );
    const byVariable = Object.fromEntries(
      error.problems.map((problem) => [problem.variable, problem.expected]),
    );
    expect(byVariable.PORT).toBe('must be an integer from 0 to 65535');
    expect(byVariable.LOG_LEVEL).toMatch(/must be one of: fatal, error, warn, info/);
    expect(byVariable.KAFKA_BROKERS).toMatch(/host:port/);
    expect(byVariable.BLIND_INDEX_KEY).toMatch(/32 random bytes in base64/);
    expect(error.message).not.toContain('eighty');
    expect(error.message).not.toContain('c2hvcnQ=');
  });

  it('requires a key source for token verification', () => {
    const error = problemsOf(platformTestEnv({ JWT_PUBLIC_KEY: undefined }));
    expect(error.problems).toEqual([
      { variable: 'JWKS_URL', expected: expect.stringMatching(/JWT_PUBLIC_KEY/) },
    ]);
  });

  it('requires a JWKS URL in production', () => {
    const error = problemsOf(
      platformTestEnv({
        NODE_ENV: 'production',
        ...PRODUCTION_KAFKA,
        SERVICE_CLIENTS: 'national-portal:dossier.submit-online',
        DATABASE_URL: 'postgres://dossier_app@db:5432/dossier',
        AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
      }),
    );
    expect(error.problems).toEqual([
      { variable: 'JWKS_URL', expected: expect.stringMatching(/NODE_ENV=production/) },
    ]);
  });

  it('refuses development or non-random keys and the superuser in production, naming each variable', () => {
    // The values the .env.example of earlier versions shipped.
    const published = {
      PII_KEYS: 'dev1:ZGV2LW9ubHktcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA=',
      PII_ACTIVE_KEY_ID: 'dev1',
      BLIND_INDEX_KEY: 'ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTAwMDAwMDA=',
      PSEUDONYM_KEY: 'ZGV2LW9ubHktcHNldWRvbnltLWtleS0wMDAwMDAwMDA=',
    };
    const production = {
      NODE_ENV: 'production',
      ...PRODUCTION_KAFKA,
      SERVICE_CLIENTS: 'national-portal:dossier.submit-online',
      JWKS_URL: 'https://sso.example/certs',
      AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
    };
    const error = problemsOf(platformTestEnv({ ...production, ...published }));
    expect(error.problems).toEqual([
      { variable: 'PII_KEYS', expected: expect.stringMatching(/key "dev1" is a published development key/) },
      { variable: 'BLIND_INDEX_KEY', expected: expect.stringMatching(/published development key/) },
      { variable: 'PSEUDONYM_KEY', expected: expect.stringMatching(/published development key/) },
      { variable: 'DATABASE_URL', expected: expect.stringMatching(/not the superuser/) },
    ]);
    // A 32-byte passphrase and a repeated byte are not random keys either.
    const text = Buffer.from('my-own-production-key-0000000000').toString('base64');
    const repeated = Buffer.alloc(32, 7).toString('base64');
    const appRole = { DATABASE_URL: 'postgres://dossier_app:pw@db:5432/dossier' };
    expect(
      problemsOf(
        platformTestEnv({ ...production, ...appRole, BLIND_INDEX_KEY: text, PSEUDONYM_KEY: repeated }),
      ).problems,
    ).toEqual([
      { variable: 'BLIND_INDEX_KEY', expected: expect.stringMatching(/decodes to text/) },
      { variable: 'PSEUDONYM_KEY', expected: expect.stringMatching(/too few distinct bytes/) },
    ]);
    // Fresh random keys and the service's own role pass; development mode is unchanged.
    expect(() => loadConfig(PlatformConfig, platformTestEnv({ ...production, ...appRole }))).not.toThrow();
    expect(() => loadConfig(PlatformConfig, platformTestEnv(published))).not.toThrow();
  });

  it('checks the PII key ring: the active key must exist and every key must be 32 bytes', () => {
    const good = randomBytes(32).toString('base64');
    expect(problemsOf(platformTestEnv({ PII_KEYS: `k1:${good}`, PII_ACTIVE_KEY_ID: 'k2' })).problems).toEqual(
      [{ variable: 'PII_ACTIVE_KEY_ID', expected: 'must name one of the key ids in PII_KEYS' }],
    );
    expect(problemsOf(platformTestEnv({ PII_KEYS: `k1:${good},k2:c2hvcnQ=` })).problems).toEqual([
      { variable: 'PII_KEYS', expected: expect.stringMatching(/key "k2" must be 32 bytes/) },
    ]);
  });

  it('lets a service extend the schema with its own variables', () => {
    const error = problemsOf(platformTestEnv(), DossierTestConfig);
    expect(error.problems).toEqual([
      { variable: 'AGENCY_ID', expected: expect.stringMatching(/^is required/) },
    ]);
    const config = loadConfig(DossierTestConfig, platformTestEnv({ AGENCY_ID: '000.00.70.H26' }));
    expect(config.AGENCY_ID).toBe('000.00.70.H26');
    expect(config.DOSSIER_PARTITIONS).toBe(6);
    expect(config.PORT).toBe(0);
  });
});

describe('production audit key (finding 3)', () => {
  it('requires AUDIT_MAC_KEY in production and refuses the development audit key', () => {
    const production = {
      NODE_ENV: 'production',
      ...PRODUCTION_KAFKA,
      SERVICE_CLIENTS: 'national-portal:dossier.submit-online',
      JWKS_URL: 'https://sso.example/certs',
      DATABASE_URL: 'postgres://dossier_app@db:5432/dossier',
    };
    expect(problemsOf(platformTestEnv(production)).problems).toEqual([
      { variable: 'AUDIT_MAC_KEY', expected: expect.stringMatching(/is required when NODE_ENV=production/) },
    ]);
    expect(
      problemsOf(platformTestEnv({ ...production, AUDIT_MAC_KEY: DEVELOPMENT_AUDIT_KEY.toString('base64') }))
        .problems,
    ).toEqual([{ variable: 'AUDIT_MAC_KEY', expected: expect.stringMatching(/published development key/) }]);
  });
});

describe('production defaults for /docs and /metrics (finding 9)', () => {
  it('turns /docs off in production unless configured, and keeps it on elsewhere', () => {
    const production = {
      NODE_ENV: 'production',
      ...PRODUCTION_KAFKA,
      SERVICE_CLIENTS: 'national-portal:dossier.submit-online',
      JWKS_URL: 'https://sso.example/certs',
      DATABASE_URL: 'postgres://dossier_app@db:5432/dossier',
      AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
    };
    expect(loadConfig(PlatformConfig, platformTestEnv(production)).SWAGGER_ENABLED).toBe(false);
    expect(
      loadConfig(PlatformConfig, platformTestEnv({ ...production, SWAGGER_ENABLED: 'true' })).SWAGGER_ENABLED,
    ).toBe(true);
    expect(loadConfig(PlatformConfig, platformTestEnv()).SWAGGER_ENABLED).toBe(true);
  });

  it('answers 404 for /metrics in production without METRICS_TOKEN', () => {
    expect(() => assertMetricsAccess({ NODE_ENV: 'production' }, undefined)).toThrow(NotFoundException);
    expect(() => assertMetricsAccess({ NODE_ENV: 'development' }, undefined)).not.toThrow();
    expect(() =>
      assertMetricsAccess(
        {
          NODE_ENV: 'production',
          METRICS_TOKEN: 'a'.repeat(24),
        },
        `Bearer ${'a'.repeat(24)}`,
      ),
    ).not.toThrow();
  });

  it('reads TRUST_PROXY as false, a hop count or a proxy list (finding 10)', () => {
    expect(loadConfig(PlatformConfig, platformTestEnv()).trustProxy).toBe(false);
    const hops = loadConfig(PlatformConfig, platformTestEnv({ TRUST_PROXY: '1' })).trustProxy;
    expect(typeof hops === 'function' && [hops('10.0.0.1', 0), hops('10.0.0.2', 1)]).toEqual([true, false]);
    expect(loadConfig(PlatformConfig, platformTestEnv({ TRUST_PROXY: '10.0.0.0/8' })).trustProxy).toBe(
      '10.0.0.0/8',
    );
    expect(problemsOf(platformTestEnv({ TRUST_PROXY: 'true' })).problems).toEqual([
      { variable: 'TRUST_PROXY', expected: expect.stringMatching(/hop count/) },
    ]);
  });
});
