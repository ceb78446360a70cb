import { Injectable } from '@nestjs/common';
import {
  defaultWorkingCalendar,
  EMPTY_OFFICIAL_CALENDAR,
  type OfficialCalendarSnapshot,
  withOfficialYears,
  type WorkingCalendarRules,
} from '@backbone/calendar';
import { DataSource } from 'typeorm';
import { OfficialCalendarSnapshotRow, SNAPSHOT_ROW_ID } from './official-calendar-snapshot.entity';

/** Another instance's consumer may have applied a new year: re-read at most this often. */
const CACHE_MS = 15_000;

/**
 * The working calendar SLA clocks count with: libs/calendar's default rules (weekends, office hours
 * 08:00–12:00 and 13:00–17:00, public holidays by the Labour Code rule, the seeded official years)
 * with the official years this service received from the dossier service (ADR 0008) replacing
 * theirs. The same rules dossier deadlines use: never a copy of the days.
 */
@Injectable()
export class WorkingCalendarService {
  private cached: { rules: WorkingCalendarRules; at: number } | undefined;

  constructor(private readonly dataSource: DataSource) {}

  async rules(): Promise<WorkingCalendarRules> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.rules;
    const rules = withOfficialYears(defaultWorkingCalendar('hotline'), await this.snapshot());
    this.cached = { rules, at: now };
    return rules;
  }

  /** After this instance applied a year: the next SLA uses it at once. */
  invalidate(): void {
    this.cached = undefined;
  }

  async snapshot(): Promise<OfficialCalendarSnapshot> {
    const row = await this.dataSource
      .getRepository(OfficialCalendarSnapshotRow)
      .findOne({ where: { id: SNAPSHOT_ROW_ID } });
    return row?.snapshot ?? EMPTY_OFFICIAL_CALENDAR;
  }
}
