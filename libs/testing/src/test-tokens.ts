import { generateKeyPairSync, sign } from 'node:crypto';

/** The issuer and audience every test configures its service with (platformTestEnv uses the same). */
export const TEST_JWT_ISSUER = 'https://sso.test/realms/hanoi';
export const TEST_JWT_AUDIENCE = 'backbone';

export interface TestSigningKeys {
  /** Signs tokens (signTestToken). */
  privatePem: string;
  /** The service's JWT_PUBLIC_KEY. */
  publicPem: string;
}

/** A fresh ES256 (P-256) key pair per test file: no token from one run is valid in another. */
export function testSigningKeys(): TestSigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

export interface TestTokenClaims {
  /** `sub`: the user id. */
  subject?: string;
  /** The platform's roles (`officer`, `auditor`, `city-admin`, `service`, ...). */
  roles: readonly string[];
  /** Unit codes the user acts for. */
  units: readonly string[];
  /** Lifetime; 30 minutes by default. */
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
}

/**
 * An ES256 JWT as the city's identity provider would issue it, signed with node:crypto (so that
 * it works wherever jest runs, without an ES-module signing library).
 */
export async function signTestToken(privatePem: string, claims: TestTokenClaims): Promise<string> {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = encode({ alg: 'ES256', typ: 'JWT' });
  const payload = encode({
    iss: claims.issuer ?? TEST_JWT_ISSUER,
    aud: claims.audience ?? TEST_JWT_AUDIENCE,
    sub: claims.subject ?? '01980bca-d920-725d-854d-beeeb30ce301',
    iat: now,
    exp: now + (claims.expiresInSeconds ?? 1_800),
    roles: claims.roles,
    units: claims.units,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: privatePem,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}
