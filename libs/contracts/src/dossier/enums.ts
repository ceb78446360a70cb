/** How a dossier reached the unit: one-stop desk, national portal, post, or a public-service agent (đại lý DVC). */
export const DOSSIER_CHANNELS = ['direct', 'online', 'postal', 'agent'] as const;
export type DossierChannel = (typeof DOSSIER_CHANNELS)[number];

/** Online level of a procedure as filed: fully online (toàn trình), partly online (một phần). */
export const SUBMISSION_ONLINE_LEVELS = ['full', 'partial'] as const;
export type SubmissionOnlineLevel = (typeof SUBMISSION_ONLINE_LEVELS)[number];

/** Online level recorded at reception; `none` for a procedure not offered online. */
export const DOSSIER_ONLINE_LEVELS = ['full', 'partial', 'none'] as const;
export type DossierOnlineLevel = (typeof DOSSIER_ONLINE_LEVELS)[number];

/** Tier that resolves the procedure (two-tier government since 1 July 2025). */
export const PROCEDURE_LEVELS = ['commune', 'city'] as const;
export type ProcedureLevel = (typeof PROCEDURE_LEVELS)[number];

export const FEE_PAYMENT_CHANNELS = ['online', 'cash', 'bank-transfer'] as const;
export type FeePaymentChannel = (typeof FEE_PAYMENT_CHANNELS)[number];
