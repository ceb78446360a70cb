import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { Call } from '../calls/call.entity';
import { Report, ReportHistoryEntry } from '../report/report.entity';
import { HandlingLimitVersion, ReportCategoryVersion } from '../taxonomy/taxonomy.entities';
import { OfficialCalendarSnapshotRow } from '../working-calendar/official-calendar-snapshot.entity';
import { CreateHotlineSchema1796100000000 } from './migrations/1796100000000-create-hotline-schema';

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [
  Call,
  Report,
  ReportHistoryEntry,
  ReportCategoryVersion,
  HandlingLimitVersion,
  OfficialCalendarSnapshotRow,
  OutboxMessage,
  InboxEntry,
];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const HOTLINE_MIGRATIONS = [...messagingMigrations, CreateHotlineSchema1796100000000];
