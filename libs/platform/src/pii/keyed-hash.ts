import { createHmac } from 'node:crypto';

/**
 * How values are made comparable before hashing: the same national id typed with spaces or in
 * another case must give the same index. Vietnamese names need NFC so that composed and decomposed
 * tone marks agree.
 */
export function normalizeForIndex(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Blind index: HMAC-SHA256 of the normalized value, stored beside the ciphertext so that an exact
 * match (`WHERE national_id_index = $1`) works without decrypting. Without the key an index cannot
 * be computed from a guess, unlike a plain hash of a 12-digit id.
 * `context` separates columns: the same value indexes differently in different columns.
 */
export class BlindIndex {
  constructor(private readonly key: Buffer) {}

  compute(value: string, context = ''): string {
    return createHmac('sha256', this.key)
      .update(`${context}\u0000${normalizeForIndex(value)}`)
      .digest('hex');
  }
}

/**
 * Pseudonyms for events: a keyed hash with its own key (PSEUDONYM_KEY), so consumers can correlate
 * the same citizen across events without ever seeing the value, and a pseudonym cannot be matched
 * to a database blind index.
 */
export class Pseudonymizer {
  constructor(private readonly key: Buffer) {}

  /** 64 lower-case hex characters (HMAC-SHA-256): the pseudonym format every event contract validates. */
  pseudonymize(value: string): string {
    return createHmac('sha256', this.key).update(normalizeForIndex(value)).digest('hex');
  }
}
