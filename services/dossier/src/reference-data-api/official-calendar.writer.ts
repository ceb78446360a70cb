import { Injectable } from '@nestjs/common';
import {
  type CalendarOverride,
  officialYearVersionOf,
  type OfficialYearDecision,
  validateOfficialYear,
} from '@backbone/calendar';
import { buildEvent, CalendarOfficialYearSetV1, CITY_UNIT_CODE, uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import { AuditTrail, eventTrace, ValidationProblemException } from '@backbone/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { DossierConfig } from '../config';
import type { OfficialYearValue } from '../database/reference-data.entities';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { OfficialCalendarWatch } from './official-calendar-watch';

/** Serialises the changes of one year across instances (namespace of pg_advisory_xact_lock). */
const OFFICIAL_YEAR_LOCK = 8_000_008;

export type OfficialCalendarChange = 'year.put' | 'date.put' | 'date.delete';

export interface OfficialYearSet {
  year: number;
  version: number;
  decisionNumber: string;
  days: CalendarOverride[];
  previousVersion: number | null;
  updatedAt: Date;
  updatedBy: string;
}

/**
 * The one way the official calendar changes (docs/adr/0008): a year's whole decision in one
 * transaction — its days in `calendar_overrides`, the year's new version, a history row with who,
 * old and new, the audit record, and `calendar.official-year-set.v1` in the outbox — or nothing.
 */
@Injectable()
export class OfficialCalendarWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
    private readonly referenceData: ReferenceDataService,
    private readonly watch: OfficialCalendarWatch,
  ) {}

  /** Replaces a year's decision. Throws a 400 naming each bad field before anything is written. */
  async setYear(decision: OfficialYearDecision, actor: string): Promise<OfficialYearSet> {
    return this.change(decision.year, actor, 'year.put', () => decision);
  }

  /**
   * Changes a year through `edit`, which gets the year's current decision (inside the transaction,
   * the year locked) and returns the new one; a one-date correction is a new version of its year.
   */
  async change(
    year: number,
    actor: string,
    change: OfficialCalendarChange,
    edit: (current: OfficialYearValue | null) => OfficialYearDecision,
  ): Promise<OfficialYearSet> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [OFFICIAL_YEAR_LOCK, year]);
        const current = await currentYear(manager, year);
        const decision = edit(current);
        const problems = validateOfficialYear(decision);
        if (problems.length > 0) throw new ValidationProblemException(problems);
        if (decision.year !== year) throw new Error(`edit changed the year ${year} to ${decision.year}`);
        return this.write(manager, decision, current, actor, change);
      });
    } finally {
      // Whatever happened, this instance reads the calendar afresh (others within the cache time).
      this.referenceData.invalidateCalendar();
      await this.watch.refresh();
    }
  }

  private async write(
    manager: EntityManager,
    decision: OfficialYearDecision,
    current: OfficialYearValue | null,
    actor: string,
    change: OfficialCalendarChange,
  ): Promise<OfficialYearSet> {
    const { year } = decision;
    const days = [...decision.days]
      .map(({ date, kind, reason, source }) => ({ date, kind, reason, source }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const version = (current?.version ?? 0) + 1;
    const value: OfficialYearValue = { version, decisionNumber: decision.decisionNumber, days };
    const now = new Date();

    await manager.query(`DELETE FROM calendar_overrides WHERE date BETWEEN $1 AND $2`, [
      `${year}-01-01`,
      `${year}-12-31`,
    ]);
    if (days.length > 0)
      await manager.query(
        `INSERT INTO calendar_overrides (date, kind, reason, source, updated_at, updated_by)
         SELECT d, k, r, s, $5, $6 FROM unnest($1::date[], $2::text[], $3::text[], $4::text[]) AS t(d, k, r, s)`,
        [
          days.map((d) => d.date),
          days.map((d) => d.kind),
          days.map((d) => d.reason),
          days.map((d) => d.source),
          now,
          actor,
        ],
      );
    await manager.query(
      `INSERT INTO official_calendar_years (year, version, decision_number, days, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (year) DO UPDATE SET version = EXCLUDED.version, decision_number = EXCLUDED.decision_number,
         days = EXCLUDED.days, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [year, version, decision.decisionNumber, JSON.stringify(days), now, actor],
    );
    await manager.query(
      `INSERT INTO official_calendar_changes (id, year, version, change, changed_at, changed_by, old_value, new_value)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        uuidv7(),
        year,
        version,
        change,
        now,
        actor,
        current ? JSON.stringify(current) : null,
        JSON.stringify(value),
      ],
    );
    await this.auditTrail.record(manager, {
      action: `calendar.official-${change}`,
      targetType: 'official-calendar-year',
      targetId: String(year),
    });
    const published = officialYearVersionOf({ ...decision, days }, version);
    await addToOutbox(
      manager,
      [
        buildEvent(CalendarOfficialYearSetV1, {
          subject: String(year),
          unitcode: CITY_UNIT_CODE,
          sequence: version,
          time: now,
          data: {
            yearId: String(year),
            year,
            version,
            decisionNumber: published.decisionNumber,
            daysOff: published.daysOff,
            workingDays: published.workingDays,
            setAt: now.toISOString(),
          },
          ...eventTrace(),
        }),
      ],
      { topic: this.config.DOSSIER_EVENTS_TOPIC },
    );
    return {
      year,
      version,
      decisionNumber: decision.decisionNumber,
      days,
      previousVersion: current?.version ?? null,
      updatedAt: now,
      updatedBy: actor,
    };
  }
}

/**
 * The year's decision as stored, or — for a year never entered as a whole — the days entered one
 * by one before (version 0, so the first whole entry is version 1).
 */
async function currentYear(manager: EntityManager, year: number): Promise<OfficialYearValue | null> {
  const rows: Array<{ version: number; decision_number: string; days: OfficialYearValue['days'] }> =
    await manager.query(
      `SELECT version, decision_number, days FROM official_calendar_years WHERE year = $1`,
      [year],
    );
  const row = rows[0];
  if (row) return { version: row.version, decisionNumber: row.decision_number, days: row.days };
  const loose: OfficialYearValue['days'] = await manager.query(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, reason, source FROM calendar_overrides
     WHERE date BETWEEN $1 AND $2 ORDER BY date`,
    [`${year}-01-01`, `${year}-12-31`],
  );
  return loose.length > 0 ? { version: 0, decisionNumber: '', days: loose } : null;
}
