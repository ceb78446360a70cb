import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, PlatformConfig } from '@backbone/platform';
import { repoRoot } from '../infra/paths';
import { envWithFreshSecrets } from './generate-secrets';

const example = readFileSync(resolve(repoRoot, '.env.example'), 'utf8');
const parse = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );

describe('.env.example and secrets:generate (finding 2)', () => {
  const productionEnv = (env: Record<string, string>) => ({
    ...env,
    NODE_ENV: 'production',
    SERVICE_CLIENTS: 'national-portal:dossier.submit-online',
    JWKS_URL: 'https://sso.example/realms/hanoi/protocol/openid-connect/certs',
    EVENT_SCHEMA_BASE_URL: 'https://backbone.example/events/',
    DATABASE_URL: `postgres://dossier_app:${env.DB_APP_PASSWORD ?? ''}@postgres:5432/dossier`,
    // As docker-compose.yml sets them: the service's principal on the compose network's broker.
    KAFKA_AUTH: 'scram',
    KAFKA_SASL_USERNAME: 'dossier',
    KAFKA_SASL_PASSWORD: env.KAFKA_DOSSIER_PASSWORD ?? '',
    KAFKA_ALLOW_PLAINTEXT: 'true',
  });

  it('ships no usable key: production refuses .env.example as it is', () => {
    expect(() => loadConfig(PlatformConfig, productionEnv(parse(example)))).toThrow(
      /PII_KEYS[\s\S]*BLIND_INDEX_KEY[\s\S]*PSEUDONYM_KEY/,
    );
  });

  it('writes fresh keys and passwords that production accepts, different every time', () => {
    const first = parse(envWithFreshSecrets(example));
    const second = parse(envWithFreshSecrets(example));
    expect(() => loadConfig(PlatformConfig, productionEnv(first))).not.toThrow();
    for (const name of [
      'PII_KEYS',
      'BLIND_INDEX_KEY',
      'PSEUDONYM_KEY',
      'POSTGRES_PASSWORD',
      'DB_OWNER_PASSWORD',
      'DB_APP_PASSWORD',
      'KAFKA_ADMIN_PASSWORD',
      'KAFKA_CONTROLLER_PASSWORD',
      'KAFKA_DOSSIER_PASSWORD',
      'KAFKA_REPORTING_PASSWORD',
    ]) {
      expect({ name, set: (first[name] ?? '').length > 8 }).toEqual({ name, set: true });
      expect(first[name]).not.toBe(second[name]);
    }
    // docker-compose.yml requires each of these secrets (`${NAME:?…}`): none may be left empty (JWKS_URL,
    // the city's identity provider, is the operator's to set, as the script says).
    const required = [
      ...readFileSync(resolve(repoRoot, 'docker-compose.yml'), 'utf8').matchAll(/\$\{([A-Z0-9_]+):\?/g),
    ];
    for (const [, name] of required.filter(([, name]) => /_PASSWORD$|_KEYS?$/.test(name!)))
      expect({ name, set: (first[name!] ?? '').length > 0 }).toEqual({ name, set: true });
    // The city's mail server password is theirs to give, never a random one.
    expect(first.ALERT_SMTP_PASSWORD).toBe('');
  });
});
