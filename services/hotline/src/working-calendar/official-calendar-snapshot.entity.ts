import type { OfficialCalendarSnapshot } from '@backbone/calendar';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The official calendar as this service last received it (`calendar.official-year-set.v1`, the
 * latest version of each year: libs/calendar applyOfficialYear), one row.
 */
@Entity({ name: 'official_calendar_snapshot' })
export class OfficialCalendarSnapshotRow {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'jsonb' })
  snapshot!: OfficialCalendarSnapshot;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export const SNAPSHOT_ROW_ID = 1;
