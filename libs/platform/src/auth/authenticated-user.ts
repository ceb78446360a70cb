export const ROLES = [
  'officer',
  'unit-head',
  'signer',
  'hotline-agent',
  'party-cell-treasurer',
  'city-admin',
  'auditor',
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The caller, as established from a verified token. */
export interface AuthenticatedUser {
  /** `sub`: the account id (a person or a service account). */
  subject: string;
  roles: Role[];
  /** Unit codes (tenants) the holder serves, from the `units` claim, e.g. ["00070"]. */
  unitCodes: string[];
  /** A service client's name (`client`, `azp` or `client_id` claim), for its allow-list. */
  client?: string;
  /** `jti` when present, for audit. */
  tokenId?: string;
}
