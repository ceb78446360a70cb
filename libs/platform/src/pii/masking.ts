/**
 * Display masks: what an officer's screen or a receipt shows. Every mask keeps only a short tail
 * (enough to confirm with the citizen) and the same length, so a masked value reveals no more.
 */
export function maskTail(value: string, visible: number, maskChar = '*'): string {
  const compact = value.replace(/\s+/g, '');
  if (compact.length <= visible) return maskChar.repeat(compact.length);
  return maskChar.repeat(compact.length - visible) + compact.slice(-visible);
}

/** A national id (CCCD, 12 digits) shows only its last 4 digits: `********2345`. */
export function maskNationalId(nationalId: string): string {
  return maskTail(nationalId, 4);
}

/** A phone number shows its last 3 digits: `*******678`. */
export function maskPhone(phone: string): string {
  return maskTail(phone.replace(/[^\d+]/g, ''), 3);
}

/** An e-mail keeps its first character and domain: `n*****@example.vn`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskTail(email, 0);
  const local = email.slice(0, at);
  return `${local[0]}${'*'.repeat(Math.max(local.length - 1, 1))}${email.slice(at)}`;
}

/** A full name keeps the given name's initial only: `Nguyễn Văn An` → `N*** V** A*`. */
export function maskName(fullName: string): string {
  return fullName
    .trim()
    .split(/\s+/)
    .map((word) => {
      const letters = [...word];
      return letters[0] + '*'.repeat(Math.max(letters.length - 1, 1));
    })
    .join(' ');
}
