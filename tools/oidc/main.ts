// The development OpenID Connect provider as its own process (npm start runs it; tests too):
//
//   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register tools/oidc/main.ts
//
// Variables: OIDC_ISSUER (http://127.0.0.1:8080/realms/hanoi; with OIDC_PORT=0 the port is chosen
// free and the issuer rebuilt), OIDC_PORT (the issuer's), OIDC_HOST (the address it listens on,
// 127.0.0.1; 0.0.0.0 in a container), OIDC_DASHBOARD_REDIRECT_URIS (comma-separated),
// OIDC_DEV_PASSWORD (every development user's), JWT_AUDIENCE (backbone), DEV_KEY_DIR (.data/dev-keys).
// It prints one line `oidc-provider ready {"issuer":…,"jwksUrl":…}` once it listens.
import { resolve } from 'node:path';
import { DEFAULT_DEV_KEY_DIR, ensureDevKeyPair } from '@backbone/platform';
import { repoRoot } from '../infra/paths';
import { DEV_OIDC_ISSUER } from './dev-oidc-settings';
import { startDevOidcProvider } from './dev-oidc-provider';

async function main(): Promise<void> {
  const issuer = process.env.OIDC_ISSUER ?? DEV_OIDC_ISSUER;
  const port = Number(process.env.OIDC_PORT ?? (new URL(issuer).port || 80));
  const password = process.env.OIDC_DEV_PASSWORD;
  if (!password) throw new Error('OIDC_DEV_PASSWORD is required (npm start generates one into .data/)');
  const keyDir = process.env.DEV_KEY_DIR ?? resolve(repoRoot, DEFAULT_DEV_KEY_DIR);
  const provider = await startDevOidcProvider({
    issuer,
    port,
    host: process.env.OIDC_HOST ?? '127.0.0.1',
    signingKeyPem: ensureDevKeyPair(keyDir).privateKeyPem,
    audience: process.env.JWT_AUDIENCE ?? 'backbone',
    dashboardRedirectUris: (process.env.OIDC_DASHBOARD_REDIRECT_URIS ?? 'http://127.0.0.1:3105/dashboard')
      .split(',')
      .map((uri) => uri.trim())
      .filter(Boolean),
    password,
  });
  process.stdout.write(
    `oidc-provider ready ${JSON.stringify({ issuer: provider.issuer, jwksUrl: provider.jwksUrl })}\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void provider.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`oidc-provider failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
