import type { DossierStatus } from '@backbone/contracts';

// Where a dossier stands now, as far as reporting needs it ("in progress now", "overdue now"): the
// contract's status set. `overdue` is not a status: it is derived at query time (in progress and past `due_at`).
export type { DossierStatus } from '@backbone/contracts';

// "In progress now" and "clock running" are the contracts' OPEN_DOSSIER_STATUSES and
// CLOCK_RUNNING_DOSSIER_STATUSES, shared with the dossier service.

/**
 * What one batch says about one dossier: the merge of its events in sequence order. Null means
 * "this batch does not say"; the upsert keeps the stored value then.
 */
export interface DossierStatePatch {
  dossierId: string;
  unitCode: string;
  /** Highest event sequence folded in: the upsert applies state fields only when newer than the stored one. */
  lastSequence: number;
  lastEventTime: string;
  status: DossierStatus | null;
  dueAt: string | null;
  resolvedAt: string | null;
  // Descriptive fields never change for a dossier: filled whenever still unknown, whatever the order.
  procedureCode: string | null;
  channel: string | null;
  onlineLevel: string | null;
  receivedAt: string | null;
}
