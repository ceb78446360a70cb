import { DEVELOPMENT_AUDIT_KEY } from '../audit/audit-chain';

/**
 * Keys that must never protect production data: the development values shipped in earlier
 * `.env.example` files and documentation. Anyone with the repository knows them.
 */
export const KNOWN_DEVELOPMENT_KEYS: ReadonlySet<string> = new Set([
  'ZGV2LW9ubHktcGlpLWtleS0wMDAwMDAwMDAwMDAwMDA=',
  'ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTAwMDAwMDA=',
  'ZGV2LW9ubHktcHNldWRvbnltLWtleS0wMDAwMDAwMDA=',
  // DEVELOPMENT_AUDIT_KEY (audit/audit-chain.ts), the audit key of development and tests.
  DEVELOPMENT_AUDIT_KEY.toString('base64'),
]);

/**
 * Why a base64 key is unfit for production, or undefined when it looks like 32 random bytes.
 * "Random" is judged by what random bytes almost never are: all printable text (a passphrase
 * such as `dev-only-…`; (95/256)^32 ≈ 1e-14 for random bytes) or few distinct byte values
 * (`aaaa…`, a repeated pattern; 32 random bytes have about 30 distinct values, under 16 has
 * probability below 1e-9).
 */
export function productionKeyProblem(base64: string): string | undefined {
  const trimmed = base64.trim();
  if (KNOWN_DEVELOPMENT_KEYS.has(trimmed)) return 'is a published development key';
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length < 32) return 'must be at least 32 random bytes';
  const text = [...bytes].every((byte) => byte >= 0x20 && byte <= 0x7e);
  if (text) return 'decodes to text, not random bytes (a passphrase or a development value)';
  if (new Set(bytes).size < 16) return 'has too few distinct bytes to be random';
  return undefined;
}
