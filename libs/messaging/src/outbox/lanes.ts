/**
 * Relays share the outbox by lane: a key always hashes to the same lane, and a lane is worked
 * by one relay at a time (a transaction-scoped advisory lock), so one key's rows are never
 * published by two relays at once, which SKIP LOCKED alone would allow, reordering them.
 */
export const OUTBOX_LANES = 64;

/** Advisory-lock namespace (first int of the two-int lock key) for outbox lanes. */
export const OUTBOX_LANE_LOCK_NAMESPACE = 0x0b0b;

/** FNV-1a 32-bit over the UTF-8 bytes of the key. */
export function laneOf(key: string, lanes: number = OUTBOX_LANES): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % lanes;
}
