import { createHash, createPrivateKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DevUser, developmentUsers } from './dev-users';

/**
 * The development stack's OpenID Connect provider: panva's `oidc-provider` (OpenID Certified),
 * run as its own process by `npm start` and by the tests that need a real sign-in. It signs with
 * the development key pair (.data/dev-keys), publishes it at `<issuer>/jwks` with its `kid`, and
 * puts the claims the services read (`roles`, `units`) into JWT access tokens for the audience
 * `backbone`. In production the city's own provider (Keycloak, the national identity service)
 * takes its place: the services only ever see JWKS_URL, JWT_ISSUER and JWT_AUDIENCE.
 */
export interface DevOidcProviderOptions {
  /** Where the provider is reached, e.g. http://127.0.0.1:8080/realms/hanoi (its path is the mount path). */
  issuer: string;
  /** 0: a free port (the issuer's port is then ignored and the issuer rebuilt with the real one). */
  port: number;
  host?: string;
  /** PEM (PKCS#8) of the ES256 signing key: the development key pair's private half. */
  signingKeyPem: string;
  /** The access tokens' `aud` (JWT_AUDIENCE of the services). */
  audience: string;
  /** The dashboard's redirect URIs (`http://127.0.0.1:3105/dashboard`). */
  dashboardRedirectUris: string[];
  /** The one password of every development user. */
  password: string;
  users?: DevUser[];
  accessTokenTtlSeconds?: number;
}

export interface RunningDevOidcProvider {
  issuer: string;
  jwksUrl: string;
  close(): Promise<void>;
}

/** The client the city dashboard signs in with (public: authorization code + PKCE, no secret). */
export const DASHBOARD_CLIENT_ID = 'dashboard';
/** The resource indicator of the backbone's APIs: tokens for it are JWTs with aud = the audience. */
export const BACKBONE_RESOURCE = 'urn:backbone:api';

/** The kid of a public key: its RFC 7638 thumbprint, as most providers do. */
export function keyIdOf(jwk: { crv?: string; kty?: string; x?: string; y?: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The development signing key as a private JWK with its kid. */
export function signingJwk(privateKeyPem: string): Record<string, string> {
  const jwk = createPrivateKey(privateKeyPem).export({ format: 'jwk' }) as Record<string, string>;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256')
    throw new Error('the signing key must be an ES256 (P-256) key');
  return { ...jwk, kid: keyIdOf(jwk), alg: 'ES256', use: 'sig' };
}

// oidc-provider ships no type declarations: the small part used here, typed.
interface Interaction {
  uid: string;
  prompt: { name: string; details: Record<string, unknown> };
  params: Record<string, unknown>;
  grantId?: string;
  session?: { accountId?: string };
}
interface GrantInstance {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: {
    new (init: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  };
  on(event: string, listener: (...args: unknown[]) => void): void;
  proxy?: boolean;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

function loadProvider(): ProviderConstructor {
  // ES module only: Node ≥ 20.19 loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('oidc-provider') as {
    default?: ProviderConstructor;
    Provider?: ProviderConstructor;
  };
  const Provider = module.Provider ?? module.default;
  if (!Provider) throw new Error('oidc-provider did not export its Provider');
  return Provider;
}

export async function startDevOidcProvider(options: DevOidcProviderOptions): Promise<RunningDevOidcProvider> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The development OpenID Connect provider does not run with NODE_ENV=production');
  }
  const server = createServer();
  server.listen(options.port, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const issuerUrl = new URL(options.issuer);
  if (options.port === 0) issuerUrl.port = String(port);
  const issuer = issuerUrl.toString().replace(/\/$/, '');
  const mountPath = issuerUrl.pathname.replace(/\/$/, '');

  formActionSources = [
    "'self'",
    ...new Set(options.dashboardRedirectUris.map((uri) => new URL(uri).origin)),
  ].join(' ');
  const users = new Map((options.users ?? developmentUsers()).map((user) => [user.username, user]));
  const jwk = signingJwk(options.signingKeyPem);
  const Provider = loadProvider();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DASHBOARD_CLIENT_ID,
        client_name: 'Bảng điều hành thành phố',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: options.dashboardRedirectUris,
        id_token_signed_response_alg: 'ES256',
        application_type: 'web',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'backbone'],
    claims: { openid: ['sub'], profile: ['name', 'roles', 'units'] },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256'],
      userinfoSigningAlgValues: ['ES256'],
    },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => BACKBONE_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== BACKBONE_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: 'backbone',
            audience: options.audience,
            accessTokenTTL: options.accessTokenTtlSeconds ?? 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    findAccount: (_ctx: unknown, id: string) => {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: user.name, roles: user.roles, units: user.units }),
      };
    },
    // The claims libs/platform reads from an access token.
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) => {
      const user = token.accountId ? users.get(token.accountId) : undefined;
      return user ? { roles: user.roles, units: user.units, name: user.name } : undefined;
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}`,
    },
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = page(
        'Lỗi đăng nhập',
        `<h1>Lỗi đăng nhập</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`,
      );
    },
  });
  const callback = provider.callback();
  const passwordBytes = Buffer.from(options.password);

  async function interaction(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      return sendHtml(res, 200, loginPage(`${mountPath}/interaction/${details.uid}/login`, ''));
    }
    if (req.method === 'POST' && rest.endsWith('/login')) {
      const form = new URLSearchParams(await readBody(req, 4_096));
      const username = (form.get('username') ?? '').trim();
      const given = Buffer.from(form.get('password') ?? '');
      const user = users.get(username);
      const passwordOk = given.length === passwordBytes.length && timingSafeEqual(given, passwordBytes);
      if (!user || !passwordOk) {
        return sendHtml(
          res,
          401,
          loginPage(`${mountPath}/interaction/${details.uid}/login`, 'Sai tên đăng nhập hoặc mật khẩu.'),
        );
      }
      // First-party client: the grant is given at sign-in (no consent screen).
      const clientId = String(details.params.client_id);
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ??
          new provider.Grant({ accountId: username, clientId }))
        : new provider.Grant({ accountId: username, clientId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(BACKBONE_RESOURCE, 'backbone');
      const grantId = await grant.save();
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: username }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    }
    return sendHtml(res, 404, page('Không tìm thấy', '<h1>Không tìm thấy</h1>'));
  }

  server.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (!url.startsWith(mountPath)) return void sendHtml(res, 404, page('Không tìm thấy', '<h1>404</h1>'));
    const rest = url.slice(mountPath.length) || '/';
    if (rest.startsWith('/interaction/')) {
      interaction(req, res, rest.split('?')[0]!).catch((error: unknown) => {
        if (!res.headersSent)
          sendHtml(
            res,
            400,
            page('Lỗi', `<h1>Phiên đăng nhập không hợp lệ</h1><p>${escapeHtml(String(error))}</p>`),
          );
        else res.end();
      });
      return;
    }
    // Mounted under the issuer's path, as Express' app.use(path, ...) would do it.
    req.originalUrl = url;
    req.url = rest;
    callback(req, res);
  });

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => (server as Server).close(() => resolveClose()));
    },
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The login page may post only to the provider, whose answer redirects to a registered client:
 * browsers check form-action along that redirect chain, so the clients' origins are listed too.
 */
let formActionSources = "'self'";

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formActionSources}`,
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}label{display:block;margin-top:1rem;font-weight:600}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#0b4f8a;color:#fff;border:0;border-radius:4px}.error{color:#a00000;font-weight:600}.hint{color:#444;font-size:.9rem}</style></head>
<body><main>${body}</main></body></html>`;
}

function loginPage(action: string, error: string): string {
  return page(
    'Đăng nhập — Hà Nội',
    `<h1>Đăng nhập</h1>
<p class="hint">Nhà cung cấp định danh dùng cho môi trường phát triển. Người dùng: <code>officer-&lt;mã đơn vị&gt;</code>, <code>head-&lt;mã đơn vị&gt;</code>, <code>city-admin</code>, <code>auditor</code>, <code>hotline-agent</code>, <code>cell-treasurer</code>, <code>signer</code>.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<label for="username">Tên đăng nhập</label><input id="username" name="username" autocomplete="username" required maxlength="64">
<label for="password">Mật khẩu</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128">
<button type="submit">Đăng nhập</button>
</form>`,
  );
}
