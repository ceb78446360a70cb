// The records the end-to-end benchmark moves: a real contract event (dossier.received.v1 from
// libs/contracts, the fixture's data), one dossier per key, so every side of bench:e2e sends,
// validates and stores the same ~1 KB envelopes a dossier service publishes.
import { createHash } from 'node:crypto';
import { buildEvent, type CloudEvent, DossierReceivedV1, loadFixture } from '@backbone/contracts';

const fixture = loadFixture(DossierReceivedV1);

/** A UUIDv7-shaped id that is the same for the same key in every process (the dossier's id). */
export function dossierIdFor(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  // 48-bit time part in mid-2025 (0198…), version 7, variant 10xx.
  return `0198${hex.slice(0, 4)}-${hex.slice(4, 8)}-7${hex.slice(8, 11)}-${'89ab'[parseInt(hex[11], 16) % 4]}${hex.slice(12, 15)}-${hex.slice(15, 27)}`;
}

/** The `sequence`-th dossier.received.v1 event of the dossier behind `key`. */
export function dossierReceivedEvent(key: string, sequence: number): CloudEvent<DossierReceivedV1> {
  const dossierId = dossierIdFor(key);
  return buildEvent(DossierReceivedV1, {
    subject: dossierId,
    sequence,
    unitcode: fixture.unitcode,
    data: { ...fixture.data, dossierId },
  });
}
