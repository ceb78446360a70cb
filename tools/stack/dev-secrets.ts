import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureDevKeyPair } from '@backbone/platform';
import { repoRoot } from '../infra/paths';

/**
 * Fresh random secrets: the platform's keys (32 random bytes each) and the passwords of the service
 * databases' owner and app roles. `npm run secrets:generate` writes the same for compose.
 */
export function freshSecrets(): Record<string, string> {
  const key = () => randomBytes(32).toString('base64');
  const password = () => randomBytes(24).toString('base64url');
  return {
    PII_KEYS: `k1:${key()}`,
    PII_ACTIVE_KEY_ID: 'k1',
    BLIND_INDEX_KEY: key(),
    PSEUDONYM_KEY: key(),
    AUDIT_MAC_KEY: key(),
    DB_OWNER_PASSWORD: password(),
    DB_APP_PASSWORD: password(),
  };
}

/** The issuer and audience the development token CLI (libs/platform issue-token) signs with. */
export const DEV_JWT_ISSUER = 'http://127.0.0.1:8080/realms/hanoi';
export const DEV_JWT_AUDIENCE = 'backbone';

/**
 * Development keys for `npm start`: generated once into .data/ (git-ignored) and reused, so that
 * personal data encrypted by one run can be read by the next. Never used when the variables are set.
 */
export function developmentSecrets(
  file = resolve(repoRoot, '.data', 'dev-secrets.json'),
): Record<string, string> {
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  // Fills in what an older file lacks (the database role passwords came later), keeping the rest.
  const secrets = { ...freshSecrets(), ...stored };
  if (Object.keys(secrets).length !== Object.keys(stored).length) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  // The development OpenID Connect provider's one password for its users (tools/oidc), kept apart
  // from the platform's keys so that `secrets:generate` (compose) never writes it.
  if (!stored.OIDC_DEV_PASSWORD) {
    stored.OIDC_DEV_PASSWORD = randomBytes(12).toString('base64url');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ ...secrets, OIDC_DEV_PASSWORD: stored.OIDC_DEV_PASSWORD }, null, 2),
      {
        mode: 0o600,
      },
    );
  }
  const keyDir = resolve(repoRoot, '.data', 'dev-keys');
  const { publicKeyFile } = ensureDevKeyPair(keyDir);
  return {
    ...secrets,
    OIDC_DEV_PASSWORD: stored.OIDC_DEV_PASSWORD,
    JWT_ISSUER: DEV_JWT_ISSUER,
    JWT_AUDIENCE: DEV_JWT_AUDIENCE,
    JWT_PUBLIC_KEY_FILE: publicKeyFile,
    DEV_KEY_DIR: keyDir,
  };
}
