import { crcHex } from './crc16';

/**
 * The EMVCo merchant-presented QR payload (EMV QRCPS-MPM 1.1) in NAPAS's VietQR profile: a bank
 * transfer to the party cell's account (merchant account information, tag 38: GUID A000000727,
 * the bank's BIN and the account number, service QRIBFTTA), in VND (704) for an amount, with the
 * member's payment reference as the purpose of transaction (tag 62.08, what banking apps put in the
 * transfer's content, which comes back on the bank statement) and as the reference label (62.05).
 * Tag 63 is the CRC-16/CCITT-FALSE of everything before it, "6304" included.
 */
export const NAPAS_GUID = 'A000000727';
export const SERVICE_TRANSFER_TO_ACCOUNT = 'QRIBFTTA';
const BIN_PATTERN = /^\d{6}$/;
const ACCOUNT_PATTERN = /^[0-9A-Za-z]{1,19}$/;
/** Banks carry the transfer content as ASCII letters and digits; the reference stays within 25. */
export const REFERENCE_PATTERN = /^[0-9A-Z]{6,25}$/;

export interface VietQrInput {
  /** The bank's 6-digit BIN (NAPAS acquirer id), e.g. 970436 (Vietcombank). */
  bankBin: string;
  accountNumber: string;
  amountVnd: number;
  reference: string;
}

function field(id: string, value: string): string {
  if (value.length > 99) throw new RangeError(`EMV field ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

export function buildVietQrPayload(input: VietQrInput): string {
  if (!BIN_PATTERN.test(input.bankBin)) throw new RangeError('bank BIN must be 6 digits');
  if (!ACCOUNT_PATTERN.test(input.accountNumber))
    throw new RangeError('account number must be 1–19 letters or digits');
  if (!Number.isSafeInteger(input.amountVnd) || input.amountVnd < 1 || input.amountVnd > 999_999_999_999)
    throw new RangeError('amount must be whole VND between 1 and 999,999,999,999');
  if (!REFERENCE_PATTERN.test(input.reference))
    throw new RangeError('reference must be 6–25 upper-case letters or digits');
  const beneficiary = field('00', input.bankBin) + field('01', input.accountNumber);
  const merchantAccount =
    field('00', NAPAS_GUID) + field('01', beneficiary) + field('02', SERVICE_TRANSFER_TO_ACCOUNT);
  const additional = field('05', input.reference) + field('08', input.reference);
  const body =
    field('00', '01') +
    // 12: dynamic (one payment of this amount); 11 would be a static code for any amount.
    field('01', '12') +
    field('38', merchantAccount) +
    field('53', '704') +
    field('54', String(input.amountVnd)) +
    field('58', 'VN') +
    field('62', additional) +
    '6304';
  return body + crcHex(body);
}

/** Top-level or nested TLV fields of an EMV payload; throws on a malformed length. */
export function readEmvFields(payload: string): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < payload.length) {
    const id = payload.slice(at, at + 2);
    const length = Number(payload.slice(at + 2, at + 4));
    if (!/^\d{2}$/.test(id) || !Number.isInteger(length) || at + 4 + length > payload.length)
      throw new Error(`malformed EMV field at ${at}`);
    fields.set(id, payload.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

/** True when the payload ends in a CRC field that matches the rest. */
export function hasValidCrc(payload: string): boolean {
  if (payload.length < 8 || payload.slice(-8, -4) !== '6304') return false;
  return crcHex(payload.slice(0, -4)) === payload.slice(-4).toUpperCase();
}
