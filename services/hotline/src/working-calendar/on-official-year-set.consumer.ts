import { Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { applyOfficialYear, EMPTY_OFFICIAL_CALENDAR } from '@backbone/calendar';
import type { EventOf } from '@backbone/contracts';
import { InboxConsumer, type InboxContext, InboxEventPattern } from '@backbone/messaging';
import { OfficialCalendarSnapshotRow, SNAPSHOT_ROW_ID } from './official-calendar-snapshot.entity';
import { WorkingCalendarService } from './working-calendar.service';

/**
 * dossier.events.v1, group `hotline`: keeps the latest version of each official year
 * (docs/adr/0008), in the inbox transaction (applied once per event id). The row is locked so two
 * instances applying two years at once both keep theirs; an older or repeated version changes
 * nothing; an invalid one throws (retries, then the dead letters).
 */
@InboxConsumer()
export class OnOfficialYearSetConsumer {
  private readonly logger = new Logger('OnOfficialYearSet');

  constructor(private readonly calendar: WorkingCalendarService) {}

  @InboxEventPattern('calendar.official-year-set.v1')
  async apply(
    @Payload() event: EventOf<'calendar.official-year-set.v1'>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const manager = context.getManager();
    await manager.query(
      `INSERT INTO official_calendar_snapshot (id, snapshot, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (id) DO NOTHING`,
      [SNAPSHOT_ROW_ID, JSON.stringify(EMPTY_OFFICIAL_CALENDAR)],
    );
    const row = await manager.findOne(OfficialCalendarSnapshotRow, {
      where: { id: SNAPSHOT_ROW_ID },
      lock: { mode: 'pessimistic_write' },
    });
    const { data } = event;
    const { snapshot, outcome } = applyOfficialYear(row?.snapshot ?? EMPTY_OFFICIAL_CALENDAR, {
      year: data.year,
      version: data.version,
      decisionNumber: data.decisionNumber,
      daysOff: data.daysOff,
      workingDays: data.workingDays,
    });
    if (outcome === 'applied') {
      await manager.update(
        OfficialCalendarSnapshotRow,
        { id: SNAPSHOT_ROW_ID },
        { snapshot, updatedAt: new Date() },
      );
      this.calendar.invalidate();
      this.logger.log(`official calendar ${data.year} version ${data.version} applied`);
    }
  }
}
