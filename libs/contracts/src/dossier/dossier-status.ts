/**
 * Where a dossier stands: the practical status set of the field guide (Decree 118/2025/NĐ-CP,
 * Circular 03/2025/TT-VPCP), shared by the dossier service, which owns the state machine, and by
 * every consumer that folds `dossier.events.v1` into a per-dossier state (reporting).
 *
 * The `dossier.*.v1` event that moves a dossier into each status:
 * - `submitted-online`: `dossier.submitted-online` (awaiting acceptance by the unit)
 * - `received`: `dossier.received` (sets the due date)
 * - `refused-at-intake`: `dossier.refused-at-intake` (terminal; form 03 states the reason)
 * - `processing`: `dossier.processing-started`, and back to it on `dossier.supplement-provided`
 *   (new due date) or `dossier.fee-paid` (unless `dossier.resolved` follows)
 * - `supplement-requested`: `dossier.supplement-requested` (form 02; the deadline clock pauses)
 * - `awaiting-payment`: `dossier.payment-requested`
 * - `resolved`: `dossier.resolved`
 * - `result-returned`: `dossier.result-returned` (terminal)
 * - `withdrawn`: `dossier.withdrawn` (terminal; by the citizen, before resolution)
 * - `stopped`: `dossier.stopped` (terminal; a management decision)
 *
 * `dossier.apology-issued` moves the due date only, `dossier.overdue` nothing: overdue is never a
 * status, it is derived (not resolved and past the due date).
 */
export const DOSSIER_STATUSES = [
  'submitted-online',
  'received',
  'refused-at-intake',
  'processing',
  'supplement-requested',
  'awaiting-payment',
  'resolved',
  'result-returned',
  'withdrawn',
  'stopped',
] as const;

/** One of {@link DOSSIER_STATUSES}. */
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];
