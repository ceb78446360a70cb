import { generateKeyPairSync, sign } from 'node:crypto';

export const FAULTS_JWT_ISSUER = 'https://sso.faults.test/realms/hanoi';
export const FAULTS_JWT_AUDIENCE = 'backbone';

/** The suite's own signing key: the services trust its public half, the load generator signs with it. */
export interface SuiteKeys {
  privatePem: string;
  publicPem: string;
}

export function suiteKeys(): SuiteKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** An ES256 JWT signed with node:crypto (jose is ESM-only, which jest here cannot load). */
export function signToken(keys: SuiteKeys, roles: string[], units: string[] = []): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = encode({ alg: 'ES256', typ: 'JWT' });
  const payload = encode({
    iss: FAULTS_JWT_ISSUER,
    aud: FAULTS_JWT_AUDIENCE,
    sub: '01980bca-d920-725d-854d-beeeb30ce301',
    iat: now,
    exp: now + 4 * 3_600,
    roles,
    units,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: keys.privatePem,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}
