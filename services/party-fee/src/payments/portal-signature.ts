import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedPortalFields {
  transactionId: string;
  reference: string;
  amountVnd: number;
  paidAt: string;
}

/** What the portal signs: the fields as `name=value`, names sorted, joined by `&`. */
export function portalSigningString(fields: SignedPortalFields): string {
  return (Object.keys(fields) as (keyof SignedPortalFields)[])
    .sort()
    .map((name) => `${name}=${String(fields[name])}`)
    .join('&');
}

export function signPortalCallback(fields: SignedPortalFields, keyBase64: string): string {
  return createHmac('sha256', Buffer.from(keyBase64, 'base64'))
    .update(portalSigningString(fields))
    .digest('hex');
}

/** Constant-time comparison of the callback's signature with the one the key gives. */
export function verifyPortalSignature(
  fields: SignedPortalFields,
  signature: string,
  keyBase64: string,
): boolean {
  const expected = Buffer.from(signPortalCallback(fields, keyBase64), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
