import { ECDSASigValue } from '@peculiar/asn1-ecc';
import { AsnConvert } from '@peculiar/asn1-schema';
import type { x509 } from '../pki/crypto-provider';
import { sha256, type SignBytes } from './cms-signed-data';

/**
 * A JWS (RFC 7515) in compact serialization over a JSON document, ES256 (RFC 7518 §3.4), with the
 * certificate chain in `x5c` and its SHA-256 thumbprint in `x5t#S256` so that a verifier can check the
 * key against the city's PKI, and the claimed signing time as JAdES' `sigT`.
 */
export async function createJws(
  payload: Buffer,
  options: { certificates: readonly x509.X509Certificate[]; sign: SignBytes; signingTime: Date },
): Promise<string> {
  const [signer] = options.certificates;
  const header = {
    alg: 'ES256',
    typ: 'JOSE',
    cty: 'json',
    x5c: options.certificates.map((certificate) => Buffer.from(certificate.rawData).toString('base64')),
    'x5t#S256': sha256(Buffer.from(signer.rawData)).toString('base64url'),
    sigT: options.signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload.toString('base64url')}`;
  const der = await options.sign(Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${derToJoseSignature(der).toString('base64url')}`;
}

/** ECDSA's DER `SEQUENCE { r, s }` → JOSE's fixed-width r || s (32 bytes each for P-256). */
export function derToJoseSignature(der: Buffer, size = 32): Buffer {
  const value = AsnConvert.parse(der, ECDSASigValue);
  const fixed = (integer: ArrayBuffer) => {
    let bytes = Buffer.from(integer);
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
    return Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
  };
  return Buffer.concat([fixed(value.r), fixed(value.s)]);
}
