import { createHmac } from 'node:crypto';

/**
 * The demo signer's authenticator app: TOTP codes (RFC 6238: HMAC-SHA-1, 30 s, 6 digits) from the
 * base32 secret the signing service returned at enrolment. A client of the API, it does not share
 * the service's code.
 */
export const TOTP_STEP_SECONDS = 30;

export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error('the secret is not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code an authenticator app shows at `at`. */
export function totpAt(secret: Buffer, at: Date): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS)));
  const digest = createHmac('sha1', secret).update(counter).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * Codes a signer can still use: each is accepted once per 30-second step, so a signer who signs
 * twice within a step waits for the next one (as a person with a phone app would).
 */
export class TotpSigner {
  private lastStep = 0;

  constructor(private readonly secret: Buffer) {}

  async nextCode(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const step = Math.floor(now / 1000 / TOTP_STEP_SECONDS);
      if (step > this.lastStep) {
        this.lastStep = step;
        return totpAt(this.secret, new Date(now));
      }
      await new Promise((resolve) => setTimeout(resolve, (step + 1) * TOTP_STEP_SECONDS * 1000 - now + 50));
    }
  }

  codeAt(at: Date): string {
    return totpAt(this.secret, at);
  }

  /** The step of the activation code, so that the first signature waits for the next one. */
  used(at: Date): void {
    this.lastStep = Math.max(this.lastStep, Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS));
  }
}
