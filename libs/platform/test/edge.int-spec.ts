import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase } from '@backbone/testing';
import { importPKCS8, SignJWT } from 'jose';
import { createPlatformApp, loadConfig, PlatformConfig, platformTestEnv } from '../src';
import { NotesAppModule } from './notes/notes.module';

const ISSUER = 'https://sso.test/realms/hanoi';
const AUDIENCE = 'backbone';

/**
 * Issue 11, findings 9 and 10, over HTTP against the notes test app: /metrics behind a token, and
 * rate limits per client behind a trusted proxy (TRUST_PROXY) instead of per load balancer.
 */
describe('platform edge: proxies and /metrics (real database)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const metricsToken = randomBytes(24).toString('base64url');
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('platform_edge');
    const config = loadConfig(
      PlatformConfig,
      platformTestEnv({
        DATABASE_URL: database.url,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string,
        TRUST_PROXY: '1',
        METRICS_TOKEN: metricsToken,
      }),
    );
    ({ app } = await createPlatformApp({
      serviceName: 'notes-edge',
      config,
      module: NotesAppModule.forRoot(config),
      logDestination: { write: () => undefined },
    }));
    token = await new SignJWT({ roles: ['officer'], units: ['00070'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('officer-a')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'ES256'));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Every request arrives from the load balancer 10.0.0.5, on behalf of `client`. */
  const viaProxy = (client: string) =>
    app.inject({
      method: 'GET',
      url: '/notes/limited',
      remoteAddress: '10.0.0.5',
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client },
    });

  it('limits each citizen behind the load balancer, not the load balancer (finding 10)', async () => {
    // The route allows 2 requests a minute per client.
    expect((await viaProxy('203.0.113.1')).statusCode).toBe(200);
    expect((await viaProxy('203.0.113.1')).statusCode).toBe(200);
    expect((await viaProxy('203.0.113.1')).statusCode).toBe(429);
    expect((await viaProxy('203.0.113.2')).statusCode).toBe(200);
    // A forged header behind the trusted hop does not help: the hop the proxy saw is used.
    expect((await viaProxy('198.51.100.9, 203.0.113.1')).statusCode).toBe(429);
  });

  it('serves /metrics only to the scraper with the metrics token (finding 9)', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const scraped = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('process_cpu');
  });
});
