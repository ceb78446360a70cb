import { createHmac, generateKeyPairSync } from 'node:crypto';
import { importPKCS8, SignJWT, UnsecuredJWT } from 'jose';
import { createJwtVerifier, type JwtVerifier, TokenRejectedError } from './jwt-verifier';

const ISSUER = 'https://sso.test/realms/hanoi';
const AUDIENCE = 'backbone';

function pemPair(type: 'ec' | 'rsa') {
  const { privateKey, publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

const ec = pemPair('ec');
const otherEc = pemPair('ec');
const rsa = pemPair('rsa');

interface TokenOptions {
  privatePem?: string;
  alg?: 'ES256' | 'RS256';
  issuer?: string;
  audience?: string;
  expiresAt?: number;
  notBefore?: number;
  subject?: string | null;
  claims?: Record<string, unknown>;
}

const now = () => Math.floor(Date.now() / 1000);

async function token(options: TokenOptions = {}): Promise<string> {
  const alg = options.alg ?? 'ES256';
  const key = await importPKCS8(options.privatePem ?? ec.privatePem, alg);
  const jwt = new SignJWT({ roles: ['officer'], units: ['00070'], ...options.claims })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? now() + 300);
  if (options.subject !== null) jwt.setSubject(options.subject ?? 'officer-1');
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(key);
}

async function rejection(verifier: JwtVerifier, jwt: string): Promise<string> {
  try {
    await verifier.verify(jwt);
  } catch (error) {
    if (error instanceof TokenRejectedError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('JWT verification', () => {
  let verifier: JwtVerifier;

  beforeAll(async () => {
    verifier = await createJwtVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256', 'ES256'],
      clockToleranceSeconds: 5,
      keys: { publicKeyPem: ec.publicPem },
    });
  });

  it('accepts a valid token and reads the caller, its roles and units', async () => {
    const user = await verifier.verify(
      await token({
        claims: { roles: ['officer', 'offline_access'], units: ['00070', '00103'], jti: 't-1' },
      }),
    );
    expect(user).toEqual({
      subject: 'officer-1',
      roles: ['officer'],
      unitCodes: ['00070', '00103'],
      tokenId: 't-1',
    });
  });

  it('reads Keycloak realm roles when there is no roles claim', async () => {
    const jwt = await token({
      claims: { roles: undefined, realm_access: { roles: ['auditor', 'uma_authorization'] } },
    });
    expect((await verifier.verify(jwt)).roles).toEqual(['auditor']);
  });

  it('rejects an expired token', async () => {
    expect(await rejection(verifier, await token({ expiresAt: now() - 60 }))).toBe('expired');
  });

  it('rejects a token that is not yet valid', async () => {
    expect(await rejection(verifier, await token({ notBefore: now() + 120 }))).toMatch(/claim nbf/);
  });

  it('rejects a wrong audience', async () => {
    expect(await rejection(verifier, await token({ audience: 'another-system' }))).toMatch(/claim aud/);
  });

  it('rejects a wrong issuer', async () => {
    expect(await rejection(verifier, await token({ issuer: 'https://evil.test' }))).toMatch(/claim iss/);
  });

  it('rejects a token without exp or sub', async () => {
    const key = await importPKCS8(ec.privatePem, 'ES256');
    const withoutExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .sign(key);
    expect(await rejection(verifier, withoutExp)).toMatch(/claim exp/);
    expect(await rejection(verifier, await token({ subject: null }))).toMatch(/claim sub/);
  });

  it('rejects a token living longer than the maximum (12 h by default) and a numeric sub (finding 7)', async () => {
    const hundredYears = now() + 100 * 365 * 86_400;
    expect(await rejection(verifier, await token({ expiresAt: hundredYears }))).toBe(
      'lifetime exceeds the maximum',
    );
    expect(await rejection(verifier, await token({ expiresAt: now() + 13 * 3600 }))).toBe(
      'lifetime exceeds the maximum',
    );
    await expect(verifier.verify(await token({ expiresAt: now() + 11 * 3600 }))).resolves.toMatchObject({
      subject: 'officer-1',
    });
    // Without iat the distance from now counts.
    const key = await importPKCS8(ec.privatePem, 'ES256');
    const withoutIat = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .setExpirationTime(hundredYears)
      .sign(key);
    expect(await rejection(verifier, withoutIat)).toBe('lifetime exceeds the maximum');
    expect(await rejection(verifier, await token({ subject: null, claims: { sub: 42 } }))).toMatch(/sub/);
    const short = await createJwtVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      clockToleranceSeconds: 5,
      keys: { publicKeyPem: ec.publicPem },
      maxLifetimeSeconds: 600,
    });
    expect(await rejection(short, await token({ expiresAt: now() + 900 }))).toBe(
      'lifetime exceeds the maximum',
    );
  });

  it('rejects HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: 'attacker',
        iss: ISSUER,
        aud: AUDIENCE,
        exp: now() + 300,
        roles: ['city-admin'],
      }),
    ).toString('base64url');
    const signature = createHmac('sha256', ec.publicPem).update(`${header}.${payload}`).digest('base64url');
    expect(await rejection(verifier, `${header}.${payload}.${signature}`)).toBe('algorithm not allowed');
  });

  it('rejects alg none', async () => {
    const unsecured = new UnsecuredJWT({ roles: ['city-admin'] })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('attacker')
      .setExpirationTime('5m')
      .encode();
    expect(await rejection(verifier, unsecured)).toBe('algorithm not allowed');
  });

  it('rejects an allowed algorithm that does not match the configured key (RS256 against an EC key)', async () => {
    expect(await rejection(verifier, await token({ privatePem: rsa.privatePem, alg: 'RS256' }))).toBe(
      'algorithm not allowed',
    );
  });

  it('rejects a tampered payload and a token signed by another key', async () => {
    const [header, , signature] = (await token()).split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        sub: 'officer-1',
        iss: ISSUER,
        aud: AUDIENCE,
        exp: now() + 300,
        roles: ['city-admin'],
      }),
    ).toString('base64url');
    expect(await rejection(verifier, `${header}.${forgedPayload}.${signature}`)).toBe('signature invalid');
    expect(await rejection(verifier, await token({ privatePem: otherEc.privatePem }))).toBe(
      'signature invalid',
    );
  });

  it('rejects garbage', async () => {
    expect(await rejection(verifier, 'not-a-jwt')).toBe('malformed');
  });

  it('verifies RS256 with an RSA key', async () => {
    const rsaVerifier = await createJwtVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256', 'ES256'],
      clockToleranceSeconds: 0,
      keys: { publicKeyPem: rsa.publicPem },
    });
    const user = await rsaVerifier.verify(await token({ privatePem: rsa.privatePem, alg: 'RS256' }));
    expect(user.subject).toBe('officer-1');
  });

  describe('cache of verified tokens', () => {
    let clockMs: number;
    let cachingVerifier: JwtVerifier;

    beforeEach(async () => {
      clockMs = Date.now();
      cachingVerifier = await createJwtVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['ES256'],
        clockToleranceSeconds: 5,
        keys: { publicKeyPem: ec.publicPem },
        clock: () => new Date(clockMs),
      });
    });

    it('still rejects a remembered token once it has expired (with the same tolerance)', async () => {
      const jwt = await token({ expiresAt: Math.floor(clockMs / 1000) + 60 });
      expect((await cachingVerifier.verify(jwt)).subject).toBe('officer-1');
      clockMs += 60_000;
      expect((await cachingVerifier.verify(jwt)).subject).toBe('officer-1'); // within the 5 s tolerance
      clockMs += 5_000;
      expect(await rejection(cachingVerifier, jwt)).toBe('expired');
      expect(await rejection(cachingVerifier, jwt)).toBe('expired');
    });

    it('checks every other string in full: a tampered copy of a remembered token is refused', async () => {
      const jwt = await token();
      await cachingVerifier.verify(jwt);
      const [header, payload, signature] = jwt.split('.');
      const forged = Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
          roles: ['city-admin'],
        }),
      ).toString('base64url');
      expect(await rejection(cachingVerifier, `${header}.${forged}.${signature}`)).toBe('signature invalid');
      expect(await rejection(cachingVerifier, `${jwt}x`)).toBe('signature invalid');
    });

    it('gives each caller its own copy of the user', async () => {
      const jwt = await token();
      const first = await cachingVerifier.verify(jwt);
      first.roles.push('city-admin');
      first.unitCodes.length = 0;
      expect(await cachingVerifier.verify(jwt)).toEqual({
        subject: 'officer-1',
        roles: ['officer'],
        unitCodes: ['00070'],
      });
    });

    it('verifies a remembered token from scratch after five minutes', async () => {
      const jwt = await token({ expiresAt: Math.floor(clockMs / 1000) + 3_600 });
      await cachingVerifier.verify(jwt);
      clockMs += 5 * 60_000;
      expect((await cachingVerifier.verify(jwt)).subject).toBe('officer-1');
    });
  });
});
