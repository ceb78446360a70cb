import type { DossierEventType } from './dossier-event-types';

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
 *   (new due date), `dossier.fee-paid` (unless `dossier.resolved` follows) or
 *   `dossier.result-rejected` (the signer refused to sign the result)
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

/**
 * Received and not yet resolved, refused, withdrawn or stopped: the unit is working on it, and it is
 * overdue when past its due date. The one list the dossier service (queries, overdue scan, state
 * machine) and reporting ("in progress now") share.
 */
export const OPEN_DOSSIER_STATUSES = [
  'received',
  'processing',
  'supplement-requested',
  'awaiting-payment',
] as const satisfies readonly DossierStatus[];

/** Open with the deadline clock running: it pauses while a supplement is awaited. */
export const CLOCK_RUNNING_DOSSIER_STATUSES = [
  'received',
  'processing',
  'awaiting-payment',
] as const satisfies readonly (typeof OPEN_DOSSIER_STATUSES)[number][];

/** Nothing follows these. */
export const TERMINAL_DOSSIER_STATUSES = [
  'refused-at-intake',
  'result-returned',
  'withdrawn',
  'stopped',
] as const satisfies readonly DossierStatus[];

/**
 * The status each `dossier.events.v1` type moves a dossier to (the list above, as data), `null` for the
 * events that move none (`dossier.overdue`, `dossier.apology-issued`). `dossier.fee-paid` goes back to
 * `processing`; when `dossier.resolved` follows in the same change, that one wins.
 */
export const DOSSIER_STATUS_AFTER_EVENT: { readonly [T in DossierEventType]: DossierStatus | null } = {
  'dossier.submitted-online.v1': 'submitted-online',
  'dossier.received.v1': 'received',
  'dossier.refused-at-intake.v1': 'refused-at-intake',
  'dossier.processing-started.v1': 'processing',
  'dossier.supplement-requested.v1': 'supplement-requested',
  'dossier.supplement-provided.v1': 'processing',
  'dossier.payment-requested.v1': 'awaiting-payment',
  'dossier.fee-paid.v1': 'processing',
  'dossier.resolved.v1': 'resolved',
  'dossier.result-returned.v1': 'result-returned',
  'dossier.withdrawn.v1': 'withdrawn',
  'dossier.stopped.v1': 'stopped',
  'dossier.overdue.v1': null,
  'dossier.apology-issued.v1': null,
  'dossier.result-rejected.v1': 'processing',
};
