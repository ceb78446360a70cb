/**
 * Where signer keys live and sign. The service never handles a signer's private key outside an
 * implementation of this interface: the local one (default) keeps each key encrypted at rest with the
 * platform's field encryption; a PKCS#11 HSM or a commercial remote-signing provider implements the same
 * three methods with a key handle of its own (a slot/label, a credential id) and replaces it in
 * TrustServicesModule (provider SIGNATURE_CREATION_DEVICE).
 *
 * Every key is ECDSA P-256; `sign` hashes with SHA-256 and answers the DER-encoded ECDSA signature
 * (as CMS wants it; JWS converts to r||s).
 */
export interface SignatureCreationDevice {
  /** Stored with each key, e.g. `local`, `pkcs11`, `remote:<provider>`. */
  readonly kind: string;
  /** A new key pair for a holder: its public key (SPKI, DER) and the handle to store and sign with. */
  generateKeyPair(holder: { holderId: string; unitCode: string }): Promise<GeneratedKey>;
  /** The signature of `data` (SHA-256, ECDSA, DER) with the key behind `keyHandle`. */
  sign(keyHandle: string, data: Buffer): Promise<Buffer>;
}

export interface GeneratedKey {
  publicKeySpki: Buffer;
  /** Opaque to the service; for the local device, the encrypted PKCS#8 key. */
  keyHandle: string;
}

/** Injection token: the device in use (LocalKeyDevice unless replaced). */
export const SIGNATURE_CREATION_DEVICE = Symbol('SIGNATURE_CREATION_DEVICE');
