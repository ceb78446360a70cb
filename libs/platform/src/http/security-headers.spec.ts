import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { SECURITY_HEADERS } from '../platform-app';
import { installSecurityHeaders, securityHeadersFor } from './security-headers';

async function headersOf(setUp: (app: ReturnType<typeof Fastify>) => Promise<unknown>, url: string) {
  const app = Fastify({ logger: false });
  await setUp(app);
  app.get('/ok', () => ({ ok: true }));
  app.get('/fails', () => {
    throw new Error('boom');
  });
  await app.ready();
  const response = await app.inject({ method: 'GET', url });
  await app.close();
  const { date: _date, ...headers } = response.headers;
  return headers;
}

describe('security headers computed once', () => {
  it.each(['/ok', '/fails', '/missing'])('are exactly what @fastify/helmet sets (%s)', async (url) => {
    const withPlugin = await headersOf((app) => app.register(helmet, SECURITY_HEADERS), url);
    const withRecord = await headersOf((app) => installSecurityHeaders(app, SECURITY_HEADERS), url);
    expect(withRecord).toEqual(withPlugin);
  });

  it('include the CSP with the Swagger UI relaxations and nosniff', async () => {
    const headers = await securityHeadersFor(SECURITY_HEADERS);
    expect(headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-type']).toBeUndefined();
  });
});
