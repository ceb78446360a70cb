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
  /** Production: the OIDC provider's JWKS endpoint. Development and tests: a local PEM public key. */
  keys: { jwksUrl: string } | { publicKeyPem: string };
}

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
    key = createRemoteJWKSet(new URL(options.keys.jwksUrl), {
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
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

  return {
    async verify(token: string): Promise<AuthenticatedUser> {
      let payload: JWTPayload;
      try {
        const verified = await jwtVerify(token, key as JWTVerifyGetKey, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: options.clockToleranceSeconds,
          requiredClaims: ['exp', 'sub'],
        });
        payload = verified.payload;
      } catch (error) {
        throw new TokenRejectedError(reasonFor(error), { cause: error });
      }
      return userFromClaims(payload);
    },
  };
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
  };
}
