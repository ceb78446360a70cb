import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface KeyRing {
  /** Key id → 32-byte key. Retired keys stay here until no stored value uses them. */
  keys: Map<string, Buffer>;
  /** The key new values are encrypted with. */
  activeKeyId: string;
}

/** Parses `PII_KEYS` entries ("kid:base64key") and the active id into a key ring. */
export function keyRingFrom(entries: string[], activeKeyId: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const entry of entries) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) throw new Error(`PII key "${id}" must be 32 bytes`);
    keys.set(id, key);
  }
  if (!keys.has(activeKeyId)) throw new Error(`The active PII key "${activeKeyId}" is not in the key ring`);
  return { keys, activeKeyId };
}

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt field: ${reason}`);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM encryption of single personal fields (a national id, a phone number).
 * Stored form: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts), so each value names the key
 * that encrypted it: rotating means adding a key, making it active, and re-encrypting at leisure —
 * old values keep decrypting meanwhile.
 * `context` (e.g. "citizen.national_id") is bound as associated data, so a ciphertext copied into
 * another column or table fails to decrypt instead of passing as that column's value.
 */
export class FieldCipher {
  constructor(private readonly ring: KeyRing) {}

  get activeKeyId(): string {
    return this.ring.activeKeyId;
  }

  encrypt(plaintext: string, context = ''): string {
    const keyId = this.ring.activeKeyId;
    const key = this.ring.keys.get(keyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      keyId,
      iv.toString('base64url'),
      ciphertext.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  decrypt(stored: string, context = ''): string {
    const parts = stored.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptionError('unknown format');
    const [, keyId, ivText, ciphertextText, tagText] = parts;
    const key = this.ring.keys.get(keyId);
    if (!key) throw new DecryptionError(`key "${keyId}" is not in the key ring`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8'));
      decipher.setAuthTag(Buffer.from(tagText, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertextText, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new DecryptionError('authentication failed (wrong key, context or tampered value)');
    }
  }

  /** The key id a stored value was encrypted with: lets a re-encryption job find old values. */
  keyIdOf(stored: string): string {
    return stored.split('.')[1];
  }

  /** True when the value should be re-encrypted with the active key. */
  needsRotation(stored: string): boolean {
    return this.keyIdOf(stored) !== this.ring.activeKeyId;
  }
}
