/** The parts of an OpenID Connect discovery document the dashboard needs. */
export interface ProviderEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string | null;
}

const DISCOVERY_CACHE_MS = 5 * 60_000;
const TIMEOUT_MS = 5_000;

/**
 * The dashboard's view of the city's OpenID Connect provider (the development one, Keycloak, the
 * national identity service): its endpoints from `/.well-known/openid-configuration`, kept for five
 * minutes, and the authorization-code exchange, which the service makes for the browser so that the
 * browser talks to one origin (the page's CSP allows no other) while PKCE still binds the code to it.
 */
export class OidcClient {
  private cached: { endpoints: ProviderEndpoints; until: number } | null = null;

  constructor(
    private readonly issuer: string,
    readonly clientId: string,
    /**
     * Where this service reaches the provider when the issuer's URL is the browser's only (compose:
     * `http://oidc:8080/realms/hanoi`): discovery and the token endpoint are called there; the
     * browser still goes to the issuer's authorization endpoint.
     */
    private readonly internalUrl?: string,
  ) {}

  /** A provider URL as this service reaches it: the issuer's prefix replaced by the internal URL. */
  private backchannel(url: string): string {
    return replacePrefix(url, this.issuer, this.internalUrl);
  }

  /**
   * A provider URL as the browser reaches it. Providers that build their endpoints from the request
   * (oidc-provider does) answer a discovery made at the internal URL with internal endpoints.
   */
  private frontchannel(url: string): string {
    return this.internalUrl ? replacePrefix(url, this.internalUrl, this.issuer) : url;
  }

  async endpoints(): Promise<ProviderEndpoints> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.endpoints;
    const url = this.backchannel(`${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw new Error(`discovery at ${url} answered ${response.status}`);
    const document = (await response.json()) as Record<string, unknown>;
    const text = (name: string) => (typeof document[name] === 'string' ? (document[name] as string) : null);
    const authorizationEndpoint = text('authorization_endpoint');
    const tokenEndpoint = text('token_endpoint');
    if (!authorizationEndpoint || !tokenEndpoint || text('issuer') !== this.issuer.replace(/\/$/, '')) {
      throw new Error(`discovery at ${url} lacks endpoints or names another issuer`);
    }
    const endSessionEndpoint = text('end_session_endpoint');
    const endpoints = {
      issuer: this.issuer,
      authorizationEndpoint: this.frontchannel(authorizationEndpoint),
      tokenEndpoint,
      endSessionEndpoint: endSessionEndpoint && this.frontchannel(endSessionEndpoint),
    };
    this.cached = { endpoints, until: Date.now() + DISCOVERY_CACHE_MS };
    return endpoints;
  }

  /** Exchanges an authorization code (with its PKCE verifier) for tokens; null when the provider refuses. */
  async exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<{ accessToken: string; expiresIn: number; idToken: string | null } | null> {
    const { tokenEndpoint } = await this.endpoints();
    const response = await fetch(this.backchannel(tokenEndpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: this.clientId,
        code: input.code,
        code_verifier: input.codeVerifier,
        redirect_uri: input.redirectUri,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.status >= 400 && response.status < 500) return null;
    if (!response.ok) throw new Error(`the token endpoint answered ${response.status}`);
    const body = (await response.json()) as Record<string, unknown>;
    if (typeof body.access_token !== 'string') throw new Error('the token endpoint gave no access_token');
    return {
      accessToken: body.access_token,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 300,
      idToken: typeof body.id_token === 'string' ? body.id_token : null,
    };
  }
}

/** `url` with the prefix `from` replaced by `to` (trailing slashes ignored); unchanged when it does not start with it. */
function replacePrefix(url: string, from: string, to: string | undefined): string {
  const prefix = from.replace(/\/$/, '');
  if (!to || !url.startsWith(prefix)) return url;
  return `${to.replace(/\/$/, '')}${url.slice(prefix.length)}`;
}
