import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Git-ignored (.data/ is in .gitignore): a private key is never committed. */
export const DEFAULT_DEV_KEY_DIR = '.data/dev-keys';

export interface DevKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  publicKeyFile: string;
}

/**
 * The development signing key pair (ES256), generated on first use. Services in development read
 * the public half (JWT_PUBLIC_KEY_FILE); the issue-token CLI signs with the private half.
 */
export function ensureDevKeyPair(directory: string = resolve(DEFAULT_DEV_KEY_DIR)): DevKeyPair {
  const privateKeyFile = join(directory, 'jwt-private.pem');
  const publicKeyFile = join(directory, 'jwt-public.pem');
  if (!existsSync(privateKeyFile) || !existsSync(publicKeyFile)) {
    mkdirSync(directory, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(privateKeyFile, 0o600);
    writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return {
    privateKeyPem: readFileSync(privateKeyFile, 'utf8'),
    publicKeyPem: readFileSync(publicKeyFile, 'utf8'),
    publicKeyFile,
  };
}

/**
 * The verification key source from configuration. A missing JWT_PUBLIC_KEY_FILE inside the dev key
 * folder is generated outside production, so `npm start` works before anyone issued a token.
 */
export function resolveVerificationKeys(config: {
  NODE_ENV: string;
  JWKS_URL?: string;
  JWT_PUBLIC_KEY?: string;
  JWT_PUBLIC_KEY_FILE?: string;
}): { jwksUrl: string } | { publicKeyPem: string } {
  if (config.JWKS_URL) return { jwksUrl: config.JWKS_URL };
  if (config.JWT_PUBLIC_KEY) return { publicKeyPem: config.JWT_PUBLIC_KEY };
  const file = resolve(config.JWT_PUBLIC_KEY_FILE as string);
  if (!existsSync(file) && config.NODE_ENV !== 'production' && file.endsWith('jwt-public.pem')) {
    ensureDevKeyPair(dirname(file));
  }
  return { publicKeyPem: readFileSync(file, 'utf8') };
}
