import { messagingMigrations } from '@backbone/messaging';
import { DOSSIER_ENTITIES } from './dossier.entities';
import { CreateDossierSchema1767400000000 } from './migrations/1767400000000-create-dossier-schema';
import { SeedReferenceData1767400000001 } from './migrations/1767400000001-seed-reference-data';
import { OfficialCalendarYears1767400000002 } from './migrations/1767400000002-official-calendar-years';
import { AddSignedDocumentHash1767500000000 } from './migrations/1767500000000-add-signed-document-hash';
import { OverdueOpenIndex1767700000000 } from './migrations/1767700000000-overdue-open-index';
import { ResultDocuments1767600000000 } from './migrations/1767600000000-result-documents';
import {
  AdministrativeUnitVersion,
  CalendarOverrideRecord,
  OfficialCalendarChangeRecord,
  OfficialCalendarYearRecord,
  ProcedureVersion,
} from './reference-data.entities';

export * from './dossier.entities';
export * from './reference-data.entities';

export const ENTITIES = [
  ...DOSSIER_ENTITIES,
  AdministrativeUnitVersion,
  ProcedureVersion,
  CalendarOverrideRecord,
  OfficialCalendarYearRecord,
  OfficialCalendarChangeRecord,
];

/** The service's migrations after the platform's (which PlatformModule adds first): outbox/inbox, then ours. */
export const DOSSIER_MIGRATIONS = [
  ...messagingMigrations,
  CreateDossierSchema1767400000000,
  SeedReferenceData1767400000001,
  OfficialCalendarYears1767400000002,
  AddSignedDocumentHash1767500000000,
  OverdueOpenIndex1767700000000,
  ResultDocuments1767600000000,
];
