import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureDevKeyPair } from '@backbone/platform';
import { repoRoot } from '../infra/paths';

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
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const key = () => randomBytes(32).toString('base64');
    const secrets = {
      PII_KEYS: `dev1:${key()}`,
      PII_ACTIVE_KEY_ID: 'dev1',
      BLIND_INDEX_KEY: key(),
      PSEUDONYM_KEY: key(),
    };
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const keyDir = resolve(repoRoot, '.data', 'dev-keys');
  const { publicKeyFile } = ensureDevKeyPair(keyDir);
  return {
    ...(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>),
    JWT_ISSUER: DEV_JWT_ISSUER,
    JWT_AUDIENCE: DEV_JWT_AUDIENCE,
    JWT_PUBLIC_KEY_FILE: publicKeyFile,
    DEV_KEY_DIR: keyDir,
  };
}
