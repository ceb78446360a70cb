import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { defaultWorkingCalendar, toVietnamLocal, type WorkingCalendarRules } from '../calendar';
import {
  AdministrativeUnitVersion,
  CalendarOverrideRecord,
  ProcedureVersion,
} from '../database/reference-data.entities';
import type { ProcedureDefinition } from '../reference-data';

/** Calendar edits reach other instances within this time; edits in this instance at once. */
const CALENDAR_CACHE_MS = 10_000;

export function procedureDefinitionOf(version: ProcedureVersion): ProcedureDefinition {
  return {
    code: version.code,
    name: version.name,
    field: version.field,
    level: version.level,
    statutoryTime: version.statutoryTime,
    onlineLevel: version.onlineLevel,
    feeVnd: version.feeVnd,
    requiresSignature: version.requiresSignature,
    codeVerified: version.codeVerified,
  };
}

/** Reads of the effective-dated reference data, as in force on a civil date. */
@Injectable()
export class ReferenceDataService {
  private calendar: { rules: WorkingCalendarRules; loadedAt: number } | undefined;

  constructor(
    @InjectRepository(AdministrativeUnitVersion)
    private readonly units: Repository<AdministrativeUnitVersion>,
    @InjectRepository(ProcedureVersion) private readonly procedures: Repository<ProcedureVersion>,
    @InjectRepository(CalendarOverrideRecord)
    private readonly overrides: Repository<CalendarOverrideRecord>,
  ) {}

  async unitInForce(code: string, at: Date): Promise<AdministrativeUnitVersion | null> {
    return this.units
      .createQueryBuilder('u')
      .where('u.code = :code', { code })
      .andWhere('u.valid_from <= :day AND (u.valid_to IS NULL OR u.valid_to > :day)', {
        day: toVietnamLocal(at).date,
      })
      .getOne();
  }

  async procedureInForce(code: string, at: Date): Promise<ProcedureVersion | null> {
    return this.procedures
      .createQueryBuilder('p')
      .where('p.code = :code', { code })
      .andWhere('p.valid_from <= :day AND (p.valid_to IS NULL OR p.valid_to > :day)', {
        day: toVietnamLocal(at).date,
      })
      .getOne();
  }

  /** The calendar in force now: the default rules with the official overrides from the database. */
  async currentCalendar(): Promise<WorkingCalendarRules> {
    if (this.calendar && Date.now() - this.calendar.loadedAt < CALENDAR_CACHE_MS) return this.calendar.rules;
    const rows = await this.overrides.find({ order: { date: 'ASC' } });
    const rules: WorkingCalendarRules = {
      ...defaultWorkingCalendar(`hanoi-${new Date().toISOString()}`),
      overrides: rows.map((row) => ({
        date: row.date,
        kind: row.kind,
        reason: row.reason,
        source: row.source,
      })),
    };
    this.calendar = { rules, loadedAt: Date.now() };
    return rules;
  }

  invalidateCalendar(): void {
    this.calendar = undefined;
  }
}
