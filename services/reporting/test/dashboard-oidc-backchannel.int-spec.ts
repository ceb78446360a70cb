import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevOidcProcess, spawnDevOidcProvider } from '@backbone/testing';
import { OidcClient } from '../src/dashboard/oidc-client';

/**
 * docker compose: the browser reaches the development OpenID Connect provider at the issuer's URL
 * (published on the host), the reporting service only at `http://oidc:8080/...` inside compose. The
 * provider (tools/oidc as a process, listening on every address as in its container) is given an
 * issuer whose host does not resolve here; the dashboard's client finds the provider's endpoints and
 * exchanges codes through DASHBOARD_OIDC_INTERNAL_URL, and still sends the browser to the issuer.
 */
describe('dashboard sign-in through an internal provider URL (tools/oidc process, OIDC_HOST=0.0.0.0)', () => {
  let provider: DevOidcProcess;
  let keyDir: string;
  let internalUrl: string;
  const redirectUri = 'http://127.0.0.1:3105/dashboard';

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'oidc-backchannel-keys-'));
    provider = await spawnDevOidcProvider({
      issuer: 'http://oidc-browser.invalid:0/realms/hanoi',
      port: 0,
      password: randomBytes(12).toString('base64url'),
      dashboardRedirectUris: [redirectUri],
      keyDir,
      env: { OIDC_HOST: '0.0.0.0' },
    });
    const issuer = new URL(provider.issuer);
    internalUrl = `http://127.0.0.1:${issuer.port}${issuer.pathname}`;
  }, 90_000);

  afterAll(async () => {
    await provider?.stop();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  it('listens on every address, as compose needs (not only on the loopback)', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
    const port = new URL(provider.issuer).port;
    const hosts = ['127.0.0.1', ...(external ? [external] : [])];
    for (const host of hosts) {
      const response = await fetch(`http://${host}:${port}/realms/hanoi/.well-known/openid-configuration`);
      expect({ host, status: response.status }).toEqual({ host, status: 200 });
      // Whatever address it was asked on, it names its one issuer (what the services check in `iss`).
      expect(((await response.json()) as { issuer: string }).issuer).toBe(provider.issuer);
    }
  });

  it('cannot reach the provider at the browser-facing issuer from here (why the internal URL exists)', async () => {
    await expect(new OidcClient(provider.issuer, 'dashboard').endpoints()).rejects.toThrow();
  });

  it('discovers through the internal URL and still sends the browser to the issuer', async () => {
    const client = new OidcClient(provider.issuer, 'dashboard', internalUrl);
    const endpoints = await client.endpoints();
    expect(endpoints.issuer).toBe(provider.issuer);
    // oidc-provider names its endpoints after the request's host: the client maps them back.
    expect(endpoints.authorizationEndpoint).toBe(`${provider.issuer}/auth`);
    expect(endpoints.endSessionEndpoint).toBe(`${provider.issuer}/session/end`);
    // The browser can follow it: the authorization endpoint answers at the issuer's path.
    const asked = new URL(endpoints.authorizationEndpoint);
    const response = await fetch(
      `${internalUrl}${asked.pathname.slice(new URL(internalUrl).pathname.length)}`,
      {
        redirect: 'manual',
      },
    );
    expect(response.status).toBeLessThan(500);
  });

  it('exchanges codes at the token endpoint through the internal URL (a bad code: refused, not unreachable)', async () => {
    const client = new OidcClient(provider.issuer, 'dashboard', internalUrl);
    await expect(
      client.exchangeCode({ code: 'not-a-code', codeVerifier: 'v'.repeat(43), redirectUri }),
    ).resolves.toBeNull();
  });
});
