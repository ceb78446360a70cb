/**
 * Sign-in with the authorization-code flow and PKCE (RFC 7636, S256) against the city's OpenID
 * Connect provider; the code is exchanged through this service (/dashboard/token). The access token
 * lives in sessionStorage (this tab only) until it expires.
 */
export interface Session {
  accessToken: string;
  expiresAt: number;
  subject: string;
  name: string;
  roles: string[];
  units: string[];
}

interface SignInConfig {
  authorizationEndpoint: string;
  clientId: string;
  scope: string;
}

const SESSION_KEY = 'dashboard.session';
const PENDING_KEY = 'dashboard.pending-sign-in';

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** This page's address without query or fragment: the redirect URI registered at the provider. */
export function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

export function currentSession(): Session | null {
  const stored = sessionStorage.getItem(SESSION_KEY);
  if (!stored) return null;
  const session = JSON.parse(stored) as Session;
  if (session.expiresAt <= Date.now() + 10_000) {
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Sends the browser to the provider's sign-in page. */
export async function beginSignIn(returnTo: string): Promise<void> {
  const config = (await (await fetch('/dashboard/config.json')).json()) as SignInConfig;
  const verifier = randomText(48);
  const state = randomText(24);
  const nonce = randomText(24);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(config.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    nonce,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * Back from the provider with `?code&state`: checks the state, exchanges the code with its verifier
 * and keeps the session. Returns the fragment to show, or null when this is no sign-in return.
 */
export async function completeSignIn(): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', redirectUri());
  if (error || !pending || params.get('state') !== pending.state) throw new Error(error ?? 'state mismatch');
  const response = await fetch('/dashboard/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, codeVerifier: pending.verifier, redirectUri: redirectUri() }),
  });
  if (!response.ok) throw new Error(`token exchange answered ${response.status}`);
  const tokens = (await response.json()) as { accessToken: string; expiresIn: number };
  const claims = JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(tokens.accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
        c.charCodeAt(0),
      ),
    ),
  ) as {
    sub: string;
    name?: string;
    roles?: string[];
    units?: string[];
    realm_access?: { roles?: string[] };
  };
  const session: Session = {
    accessToken: tokens.accessToken,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
    subject: claims.sub,
    name: claims.name ?? claims.sub,
    roles: claims.roles ?? claims.realm_access?.roles ?? [],
    units: claims.units ?? [],
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return pending.returnTo;
}
