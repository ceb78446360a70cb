import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEVELOPMENT_KAFKA_CA_MARKER,
  kafkaSecurityFromSettings,
  KafkaSecurityError,
} from '@backbone/messaging';
import { platformTestEnv } from '../testing/platform-test-env';
import { ConfigError, loadConfig } from './load-config';
import { PlatformConfig } from './platform-config';

// The Kafka security variables as PlatformConfig checks them at start-up (the rules live in
// libs/messaging's kafka-security.ts, which the services' client is built from). The certificate
// checks need PEM files: a throw-away CA and certificates made once with openssl in a temp folder.

function problems(env: Record<string, string | undefined>) {
  try {
    loadConfig(PlatformConfig, platformTestEnv(env));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** What production needs apart from Kafka (load-config.spec.ts tests those). */
const PRODUCTION = {
  NODE_ENV: 'production',
  SERVICE_CLIENTS: 'national-portal:dossier.submit-online',
  JWKS_URL: 'https://sso.example/certs',
  DATABASE_URL: 'postgres://dossier_app@db:5432/dossier',
  AUDIT_MAC_KEY: 'n1ghCw0Z8S0u9sX4o0Pq9fE9b7YxGm1kq3qkN8o0bQg=',
};
const SCRAM = {
  KAFKA_AUTH: 'scram',
  KAFKA_SASL_USERNAME: 'dossier',
  KAFKA_SASL_PASSWORD: 'a-generated-password',
};

describe('Kafka security settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-security-spec-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  /** A CA named `subject`, and a client certificate `dossier` it signed. */
  function pki(prefix: string, subject: string) {
    openssl(
      'req',
      '-x509',
      '-new',
      ...ec,
      '-keyout',
      `${prefix}-ca.key`,
      '-subj',
      `/CN=${subject}`,
      '-days',
      '1',
      '-out',
      `${prefix}-ca.pem`,
    );
    openssl(
      'req',
      '-new',
      ...ec,
      '-keyout',
      `${prefix}-dossier.key`,
      '-subj',
      '/CN=dossier',
      '-out',
      `${prefix}.csr`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${prefix}.csr`,
      '-CA',
      `${prefix}-ca.pem`,
      '-CAkey',
      `${prefix}-ca.key`,
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      `${prefix}-dossier.pem`,
    );
    return {
      ca: file(`${prefix}-ca.pem`),
      cert: file(`${prefix}-dossier.pem`),
      key: file(`${prefix}-dossier.key`),
    };
  }
  let city: ReturnType<typeof pki>;
  let development: ReturnType<typeof pki>;

  beforeAll(() => {
    city = pki('city', 'Hanoi city Kafka cluster CA');
    development = pki('dev', DEVELOPMENT_KAFKA_CA_MARKER);
    writeFileSync(file('password'), 'from-a-mounted-secret\n');
    writeFileSync(file('empty'), '');
    writeFileSync(file('not-pem'), 'hello');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('outside production', () => {
    it('default to PLAINTEXT without authentication, so that the local broker needs nothing', () => {
      const config = loadConfig(PlatformConfig, platformTestEnv());
      expect(config).toMatchObject({ KAFKA_AUTH: 'none', KAFKA_SSL: false, KAFKA_ALLOW_PLAINTEXT: false });
      expect(kafkaSecurityFromSettings(config)).toEqual({});
    });

    it('refuse KAFKA_AUTH=scram without a principal, without echoing the password', () => {
      let error: unknown;
      try {
        loadConfig(
          PlatformConfig,
          platformTestEnv({ KAFKA_AUTH: 'scram', KAFKA_SASL_PASSWORD: 's3cret-value' }),
        );
      } catch (caught) {
        error = caught;
      }
      expect((error as ConfigError).problems).toEqual([
        {
          variable: 'KAFKA_SASL_USERNAME',
          expected: expect.stringMatching(/required when KAFKA_AUTH=scram/),
        },
      ]);
      expect((error as ConfigError).message).not.toContain('s3cret-value');
      expect(problems({ KAFKA_AUTH: 'scram', KAFKA_SASL_USERNAME: 'dossier' })).toEqual([
        { variable: 'KAFKA_SASL_PASSWORD', expected: expect.stringMatching(/or KAFKA_SASL_PASSWORD_FILE/) },
      ]);
      expect(problems({ KAFKA_AUTH: 'plain' })).toEqual([
        { variable: 'KAFKA_AUTH', expected: 'must be one of: none, scram, tls' },
      ]);
    });

    it('read the SCRAM password from a file (a mounted Secret) without its trailing newline, never both', () => {
      const config = loadConfig(
        PlatformConfig,
        platformTestEnv({
          KAFKA_AUTH: 'scram',
          KAFKA_SASL_USERNAME: 'dossier',
          KAFKA_SASL_PASSWORD_FILE: file('password'),
        }),
      );
      expect(kafkaSecurityFromSettings(config).sasl).toEqual({
        mechanism: 'scram-sha-512',
        username: 'dossier',
        password: 'from-a-mounted-secret',
      });
      expect(problems({ ...SCRAM, KAFKA_SASL_PASSWORD_FILE: file('password') })).toEqual([
        { variable: 'KAFKA_SASL_PASSWORD_FILE', expected: expect.stringMatching(/not be set together/) },
      ]);
      expect(
        problems({
          KAFKA_AUTH: 'scram',
          KAFKA_SASL_USERNAME: 'dossier',
          KAFKA_SASL_PASSWORD_FILE: file('missing'),
        }),
      ).toEqual([
        { variable: 'KAFKA_SASL_PASSWORD_FILE', expected: expect.stringMatching(/cannot be read .*ENOENT/) },
      ]);
    });

    it('turn on TLS with the CA that signs the brokers, and refuse a file that holds no certificate', () => {
      const config = loadConfig(
        PlatformConfig,
        platformTestEnv({ ...SCRAM, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: city.ca }),
      );
      const security = kafkaSecurityFromSettings(config);
      expect(security.tls?.ca).toContain('-----BEGIN CERTIFICATE-----');
      expect(security.sasl?.username).toBe('dossier');
      expect(problems({ ...SCRAM, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: file('not-pem') })).toEqual([
        {
          variable: 'KAFKA_SSL_CA_FILE',
          expected: expect.stringMatching(/PEM file with at least one certificate/),
        },
      ]);
      expect(problems({ ...SCRAM, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: file('empty') })).toContainEqual({
        variable: 'KAFKA_SSL_CA_FILE',
        expected: expect.stringMatching(/empty file/),
      });
      expect(problems({ KAFKA_SSL: 'yes' })).toEqual([
        { variable: 'KAFKA_SSL', expected: 'must be true or false' },
      ]);
    });

    it('refuse TLS files while TLS is off, so that nobody believes a PLAINTEXT connection is encrypted', () => {
      expect(problems({ ...SCRAM, KAFKA_SSL_CA_FILE: city.ca })).toEqual([
        { variable: 'KAFKA_SSL_CA_FILE', expected: expect.stringMatching(/only with KAFKA_SSL=true/) },
      ]);
    });

    it('take a client certificate as the credential (KAFKA_AUTH=tls, TLS implied), checking it matches its key', () => {
      const config = loadConfig(
        PlatformConfig,
        platformTestEnv({
          KAFKA_AUTH: 'tls',
          KAFKA_SSL_CA_FILE: city.ca,
          KAFKA_SSL_CERT_FILE: city.cert,
          KAFKA_SSL_KEY_FILE: city.key,
        }),
      );
      const security = kafkaSecurityFromSettings(config);
      expect(security.sasl).toBeUndefined();
      expect(security.tls).toMatchObject({
        cert: expect.stringContaining('BEGIN CERTIFICATE'),
        key: expect.stringContaining('PRIVATE KEY'),
      });
      expect(problems({ KAFKA_AUTH: 'tls', KAFKA_SSL_CA_FILE: city.ca })).toEqual([
        { variable: 'KAFKA_SSL_CERT_FILE', expected: expect.stringMatching(/required when KAFKA_AUTH=tls/) },
        { variable: 'KAFKA_SSL_KEY_FILE', expected: expect.stringMatching(/required when KAFKA_AUTH=tls/) },
      ]);
      expect(
        problems({ KAFKA_AUTH: 'tls', KAFKA_SSL_CERT_FILE: city.cert, KAFKA_SSL_KEY_FILE: development.key }),
      ).toEqual([
        { variable: 'KAFKA_SSL_KEY_FILE', expected: expect.stringMatching(/not the key of the certificate/) },
      ]);
      expect(
        problems({
          ...SCRAM,
          KAFKA_SSL: 'true',
          KAFKA_SSL_CERT_FILE: city.cert,
          KAFKA_SSL_KEY_FILE: city.key,
        }),
      ).toEqual([
        { variable: 'KAFKA_SSL_CERT_FILE', expected: expect.stringMatching(/only with KAFKA_AUTH=tls/) },
        { variable: 'KAFKA_SSL_KEY_FILE', expected: expect.stringMatching(/only with KAFKA_AUTH=tls/) },
      ]);
    });
  });

  describe('in production (NODE_ENV=production)', () => {
    it('refuses PLAINTEXT and no authentication, naming what to set', () => {
      expect(problems(PRODUCTION)).toEqual([
        {
          variable: 'KAFKA_SSL',
          expected: expect.stringMatching(/must be true when NODE_ENV=production.*in clear/),
        },
        {
          variable: 'KAFKA_AUTH',
          expected: expect.stringMatching(/must be scram or tls when NODE_ENV=production/),
        },
      ]);
      expect(problems({ ...PRODUCTION, ...SCRAM })).toEqual([
        { variable: 'KAFKA_SSL', expected: expect.stringMatching(/KAFKA_ALLOW_PLAINTEXT=true only where/) },
      ]);
      // TLS alone does not say who the service is.
      expect(problems({ ...PRODUCTION, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: city.ca })).toEqual([
        { variable: 'KAFKA_AUTH', expected: expect.stringMatching(/must be scram or tls/) },
      ]);
    });

    it('accepts SCRAM over TLS or a client certificate, and PLAINTEXT only when explicitly allowed', () => {
      expect(problems({ ...PRODUCTION, ...SCRAM, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: city.ca })).toEqual(
        [],
      );
      expect(
        problems({
          ...PRODUCTION,
          KAFKA_AUTH: 'tls',
          KAFKA_SSL_CA_FILE: city.ca,
          KAFKA_SSL_CERT_FILE: city.cert,
          KAFKA_SSL_KEY_FILE: city.key,
        }),
      ).toEqual([]);
      expect(problems({ ...PRODUCTION, ...SCRAM, KAFKA_ALLOW_PLAINTEXT: 'true' })).toEqual([]);
      // The allowance never covers a broker without authentication.
      expect(problems({ ...PRODUCTION, KAFKA_ALLOW_PLAINTEXT: 'true' })).toEqual([
        { variable: 'KAFKA_AUTH', expected: expect.stringMatching(/must be scram or tls/) },
      ]);
    });

    it('refuses the development CA of infra/kafka/start.sh and certificates it signed', () => {
      expect(
        problems({ ...PRODUCTION, ...SCRAM, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: development.ca }),
      ).toEqual([
        {
          variable: 'KAFKA_SSL_CA_FILE',
          expected: expect.stringMatching(/development CA .* refused when NODE_ENV=production/),
        },
      ]);
      expect(
        problems({
          ...PRODUCTION,
          KAFKA_AUTH: 'tls',
          KAFKA_SSL_CA_FILE: city.ca,
          KAFKA_SSL_CERT_FILE: development.cert,
          KAFKA_SSL_KEY_FILE: development.key,
        }),
      ).toEqual([{ variable: 'KAFKA_SSL_CERT_FILE', expected: expect.stringMatching(/development CA/) }]);
      // Outside production the development CA is what npm start uses.
      expect(problems({ ...SCRAM, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: development.ca })).toEqual([]);
    });

    it('the CLIs (process.env, no PlatformConfig) refuse the same, with the variables named', () => {
      expect(() => kafkaSecurityFromSettings({ NODE_ENV: 'production', ...SCRAM })).toThrow(
        KafkaSecurityError,
      );
      expect(() => kafkaSecurityFromSettings({ NODE_ENV: 'production', ...SCRAM })).toThrow(
        /KAFKA_SSL: must be true when NODE_ENV=production/,
      );
      expect(() =>
        kafkaSecurityFromSettings({ NODE_ENV: 'production', ...SCRAM, KAFKA_ALLOW_PLAINTEXT: 'true' }),
      ).not.toThrow();
    });
  });
});
