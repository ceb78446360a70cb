import { createPublicKey } from 'node:crypto';
import {
  createRemoteJWKSet,
  type CryptoKey,
  errors,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { JwtAlgorithm } from '../config/platform-config';
import { type AuthenticatedUser, isRole, type Role } from './authenticated-user';

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  /** Accepted signature algorithms. Anything else (HS256, none, ...) is refused before key lookup. */
  algorithms: JwtAlgorithm[];
  clockToleranceSeconds: number;
  /**
   * Longest accepted lifetime (JWT_MAX_TOKEN_LIFETIME_SECONDS, default 12 h): a token whose `exp` is
   * further than this from its `iat` (or from now) is refused, so a leaked long-lived token is not
   * a key for years.
   */
  maxLifetimeSeconds?: number;
  /** Production: the OIDC provider's JWKS endpoint. Development and tests: a local PEM public key. */
  keys: { jwksUrl: string } | { publicKeyPem: string };
  /**
   * How many verified tokens to remember (0 = none). A client sends the same token on every request
   * until it expires, and the signature check (ECDSA/RSA) is the most expensive part of a request.
   */
  cacheSize?: number;
  /** Tests move time; production uses the clock. */
  clock?: () => Date;
  /**
   * JWKS: after a fetch, no other for this long (a token naming an unknown `kid` is refused
   * meanwhile, so forged kids cannot make the service hammer the provider). Default 30 s: a key
   * the provider starts signing with is honoured at most this long after its first token arrives.
   */
  jwksCooldownMs?: number;
  /** JWKS: the key set is fetched again once it is this old (a withdrawn key stops working). Default 10 min. */
  jwksCacheMaxAgeMs?: number;
}

/** JWT_MAX_TOKEN_LIFETIME_SECONDS' default: a working day and a half. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

/** A verified token's result and the time-dependent claims that must still be checked on each use. */
interface VerifiedToken {
  user: AuthenticatedUser;
  /** Seconds since the epoch. */
  exp: number;
  nbf: number | undefined;
  /** Milliseconds since the epoch after which the token is verified again from scratch. */
  reverifyAt: number;
}

/**
 * A cached token is verified again from scratch after this long even if it has not expired, so that
 * a key withdrawn from the JWKS (which jose re-reads after its own cache age) stops being honoured
 * within minutes rather than at the token's exp.
 */
const REVERIFY_AFTER_MS = 5 * 60_000;

/** Why a token was refused; the reason goes to logs and the WWW-Authenticate header, never details. */
export class TokenRejectedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`token rejected: ${reason}`, options);
    this.name = 'TokenRejectedError';
  }
}

export interface JwtVerifier {
  verify(token: string): Promise<AuthenticatedUser>;
}

export async function createJwtVerifier(options: JwtVerifierOptions): Promise<JwtVerifier> {
  let key: JWTVerifyGetKey | CryptoKey;
  let algorithms: JwtAlgorithm[] = options.algorithms;
  if ('jwksUrl' in options.keys) {
    // Keys are looked up by the token's kid; an unknown kid re-reads the set (rotation), at most
    // once per cooldown; the set is re-read when older than cacheMaxAge (withdrawal).
    key = createRemoteJWKSet(new URL(options.keys.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
      timeoutDuration: 5_000,
    });
  } else {
    // A local key has one type; pin the algorithm to the one that key can verify.
    const keyType = createPublicKey(options.keys.publicKeyPem).asymmetricKeyType;
    const algorithm: JwtAlgorithm = keyType === 'ec' ? 'ES256' : 'RS256';
    algorithms = algorithms.filter((candidate) => candidate === algorithm);
    if (algorithms.length === 0) {
      throw new Error(`The local public key is ${keyType}, but JWT_ALGORITHMS does not allow ${algorithm}`);
    }
    key = await importSPKI(options.keys.publicKeyPem, algorithm);
  }

  const clock = options.clock ?? (() => new Date());
  const cacheSize = options.cacheSize ?? 10_000;
  // Keyed by the token's exact string: the signature, algorithm, issuer and audience checks hold for
  // that string forever, so only exp and nbf (time) are re-checked on a hit, with jose's tolerance.
  // Map keeps insertion order: re-inserting on a hit makes it an LRU.
  const verifiedTokens = new Map<string, VerifiedToken>();
  const tolerance = options.clockToleranceSeconds;

  async function verifyFully(token: string, now: Date): Promise<AuthenticatedUser> {
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, key as JWTVerifyGetKey, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: tolerance,
        requiredClaims: ['exp', 'sub'],
        currentDate: now,
      });
      payload = verified.payload;
    } catch (error) {
      throw new TokenRejectedError(reasonFor(error), { cause: error });
    }
    // A subject is a string (RFC 7519 §4.1.2); a number would compare equal to another user's id.
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255)
      throw new TokenRejectedError('claim sub invalid');
    const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : nowSeconds;
    const exp = payload.exp as number;
    if (exp - issuedAt > maxLifetime || exp - nowSeconds > maxLifetime + tolerance)
      throw new TokenRejectedError('lifetime exceeds the maximum');
    const user = userFromClaims(payload);
    if (cacheSize > 0) {
      if (verifiedTokens.size >= cacheSize) {
        verifiedTokens.delete(verifiedTokens.keys().next().value as string);
      }
      verifiedTokens.set(token, {
        user,
        exp: payload.exp as number,
        nbf: payload.nbf,
        reverifyAt: now.getTime() + REVERIFY_AFTER_MS,
      });
    }
    return user;
  }

  return {
    async verify(token: string): Promise<AuthenticatedUser> {
      const now = clock();
      const cached = verifiedTokens.get(token);
      if (!cached) return copyOf(await verifyFully(token, now));
      verifiedTokens.delete(token);
      const nowSeconds = Math.floor(now.getTime() / 1000);
      // The same comparisons as jose's (exp <= now - tolerance is expired; nbf > now + tolerance is early).
      if (cached.exp <= nowSeconds - tolerance) throw new TokenRejectedError('expired');
      if (cached.nbf !== undefined && cached.nbf > nowSeconds + tolerance) {
        throw new TokenRejectedError('claim nbf check_failed');
      }
      if (now.getTime() >= cached.reverifyAt) return copyOf(await verifyFully(token, now));
      verifiedTokens.set(token, cached);
      return copyOf(cached.user);
    },
  };
}

/** Callers get their own object, so that nothing a handler does to it reaches the cache. */
function copyOf(user: AuthenticatedUser): AuthenticatedUser {
  return { ...user, roles: [...user.roles], unitCodes: [...user.unitCodes] };
}

function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no matching key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  if (error instanceof errors.JOSEError) return error.code;
  return 'unverifiable';
}

/** The client a service token names: `client`, else OIDC `azp`, else `client_id`. */
function clientOf(payload: JWTPayload): { client?: string } {
  for (const claim of ['client', 'azp', 'client_id']) {
    const value = payload[claim];
    if (typeof value === 'string' && value.length > 0 && value.length <= 100) return { client: value };
  }
  return {};
}

/**
 * Roles come from `roles`, or Keycloak's `realm_access.roles`; unknown role names are ignored so a
 * provider's own roles (offline_access, ...) grant nothing here.
 */
export function userFromClaims(payload: JWTPayload): AuthenticatedUser {
  const realmAccess = payload.realm_access as { roles?: unknown } | undefined;
  const rawRoles = Array.isArray(payload.roles)
    ? payload.roles
    : Array.isArray(realmAccess?.roles)
      ? realmAccess.roles
      : [];
  const roles = [...new Set(rawRoles.filter(isRole))] as Role[];
  const rawUnits = Array.isArray(payload.units) ? payload.units : [];
  const unitCodes = [
    ...new Set(rawUnits.filter((unit): unit is string => typeof unit === 'string' && unit.length > 0)),
  ];
  return {
    subject: payload.sub as string,
    roles,
    unitCodes,
    ...(payload.jti ? { tokenId: payload.jti } : {}),
    ...clientOf(payload),
  };
}
