/** FieldCipher contexts (associated data): a ciphertext moved to another column fails to decrypt. */
export const PII_CONTEXT = {
  callerNumber: 'calls.caller_number',
  reporterName: 'reports.reporter_name',
  reporterPhone: 'reports.reporter_phone',
  reporterEmail: 'reports.reporter_email',
  accountPhone: 'app_accounts.phone',
  accountEmail: 'app_accounts.email',
  accountIdentity: 'app_accounts.identity',
} as const;

/**
 * A Vietnamese phone number as one string whatever way it was written: digits only, the country
 * code 84 as a leading 0 ("+84 912 345 678", "0912.345.678" → "0912345678"). The PBX and the
 * channels write numbers differently; the blind index and the pseudonym must not.
 */
export function normalisePhone(value: string): string {
  const digits = value.replace(/\D+/g, '');
  if (digits.startsWith('84') && digits.length >= 11) return `0${digits.slice(2)}`;
  return digits;
}

/** What a citizen is pseudonymised by: the phone when known, else the e-mail (lower case). */
export function identityOf(contact: {
  phone?: string | undefined;
  email?: string | undefined;
}): string | undefined {
  if (contact.phone && normalisePhone(contact.phone) !== '') return `phone:${normalisePhone(contact.phone)}`;
  if (contact.email && contact.email.trim() !== '') return `email:${contact.email.trim().toLowerCase()}`;
  return undefined;
}
