/** Member category, which decides the fee rule (1% of salary, 0.5% of pension, fixed amounts). */
export const PARTY_MEMBER_CATEGORIES = ['official', 'pensioner', 'student', 'other'] as const;
export type PartyMemberCategory = (typeof PARTY_MEMBER_CATEGORIES)[number];

/** Online on the national portal, or cash to the party cell (chi bộ). */
export const PARTY_FEE_PAYMENT_CHANNELS = ['online', 'cash'] as const;
export type PartyFeePaymentChannel = (typeof PARTY_FEE_PAYMENT_CHANNELS)[number];
