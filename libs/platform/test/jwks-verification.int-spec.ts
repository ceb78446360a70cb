import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { createJwtVerifier, type JwtVerifier, TokenRejectedError } from '../src/auth/jwt-verifier';

/*
 * Verification through a provider's JWKS URL (what every service does in development, against
 * tools/oidc, and in production, against the city's provider): keys chosen by kid, a new key picked
 * up when the provider rotates, a withdrawn key refused once the cached set is re-read, and the
 * issuer and audience still checked. A real HTTP server serves the key set.
 */
const ISSUER = 'http://127.0.0.1/realms/hanoi';
const AUDIENCE = 'backbone';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' },
  };
}

async function token(key: SigningKey, claims: { iss?: string; aud?: string; kid?: string | null } = {}) {
  const header: { alg: string; typ: string; kid?: string } = { alg: 'ES256', typ: 'JWT' };
  if (claims.kid !== null) header.kid = claims.kid ?? key.kid;
  return new SignJWT({ roles: ['officer'], units: ['00070'] })
    .setProtectedHeader(header)
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setSubject('officer-00070')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);
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

describe('JWT verification through a JWKS URL', () => {
  let server: Server;
  let jwksUrl: string;
  let published: SigningKey[] = [];
  let fetches = 0;
  const first = signingKey('key-2026-11');
  const second = signingKey('key-2026-12');

  beforeAll(async () => {
    server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/hanoi/jwks`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function verifier(options: { cooldownMs?: number; maxAgeMs?: number; cacheSize?: number } = {}) {
    return createJwtVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256', 'ES256'],
      clockToleranceSeconds: 5,
      keys: { jwksUrl },
      jwksCooldownMs: options.cooldownMs ?? 0,
      jwksCacheMaxAgeMs: options.maxAgeMs ?? 600_000,
      cacheSize: options.cacheSize ?? 0,
    });
  }

  it('verifies by kid, checks issuer and audience, and refuses a key the set does not hold', async () => {
    published = [first];
    const jwks = await verifier();
    await expect(jwks.verify(await token(first))).resolves.toMatchObject({
      subject: 'officer-00070',
      roles: ['officer'],
      unitCodes: ['00070'],
    });
    expect(await rejection(jwks, await token(first, { iss: 'http://127.0.0.1/realms/other' }))).toMatch(
      /claim iss/,
    );
    expect(await rejection(jwks, await token(first, { aud: 'another-system' }))).toMatch(/claim aud/);
    const stranger = signingKey('key-2026-11'); // same kid, another key: the signature decides
    expect(await rejection(jwks, await token(stranger))).toBe('signature invalid');
    expect(await rejection(jwks, await token(signingKey('unknown')))).toBe('no matching key');
  });

  it('picks up a rotated key by its kid and drops a withdrawn one once the set is re-read', async () => {
    published = [first];
    const jwks = await verifier({ maxAgeMs: 200 });
    await jwks.verify(await token(first));

    // The provider publishes the next key, then signs with it: an unknown kid re-reads the set.
    published = [first, second];
    const before = fetches;
    await expect(jwks.verify(await token(second))).resolves.toMatchObject({ subject: 'officer-00070' });
    expect(fetches).toBe(before + 1);
    await jwks.verify(await token(first));

    // The old key is withdrawn: refused once the cached set has aged out.
    published = [second];
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rejection(jwks, await token(first))).toBe('no matching key');
    await expect(jwks.verify(await token(second))).resolves.toMatchObject({ subject: 'officer-00070' });
  });

  it('does not re-read the set for every unknown kid within the cooldown', async () => {
    published = [first];
    const jwks = await verifier({ cooldownMs: 60_000 });
    await jwks.verify(await token(first));
    const before = fetches;
    for (let i = 0; i < 5; i += 1) {
      expect(await rejection(jwks, await token(signingKey(`forged-${i}`)))).toBe('no matching key');
    }
    expect(fetches).toBe(before);
  });

  it('refuses a token without kid when the set holds two keys of its type', async () => {
    published = [first, second];
    const jwks = await verifier();
    expect(await rejection(jwks, await token(first, { kid: null }))).toMatch(/MULTIPLE/);
  });
});
