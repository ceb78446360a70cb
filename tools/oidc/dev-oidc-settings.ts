/**
 * Where `npm start` runs the development OpenID Connect provider: a Keycloak-like URL, so that the
 * issuer the tools default to (`npm run token`, the simulator) is the provider's.
 */
export const DEV_OIDC_ISSUER = 'http://127.0.0.1:8080/realms/hanoi';
