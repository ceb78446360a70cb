import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** Node's WebCrypto for @peculiar/x509 (certificates, CRLs); imported before any x509 use. */
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** The one key type of the city's PKI (docs/adr/0011): ECDSA on P-256, signatures with SHA-256. */
export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const ECDSA_WITH_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

export type WebCryptoKey = webcrypto.CryptoKey;

export { x509 };
