import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { defaultWorkingCalendar, toVietnamLocal, type WorkingCalendarRules } from '@backbone/calendar';
import {
  AdministrativeUnitVersion,
  CalendarOverrideRecord,
  ProcedureVersion,
} from '../database/reference-data.entities';
import type { ProcedureDefinition } from './procedure';

/**
 * Calendar, unit and procedure edits reach other instances within this time; edits in this
 * instance at once. Every intake reads its unit and procedure: from memory, they cost no query.
 */
const CALENDAR_CACHE_MS = 10_000;
const VERSIONS_CACHE_MS = 10_000;
/** Bounds the version cache (126 units and a few hundred procedures × the days in use). */
const VERSIONS_CACHE_MAX = 5_000;

interface CachedVersion<T> {
  value: T | null;
  loadedAt: number;
}

export function procedureDefinitionOf(version: ProcedureVersion): ProcedureDefinition {
  return {
    code: version.code,
    name: version.name,
    field: version.field,
    level: version.level,
    statutoryTime: { ...version.statutoryTime },
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
  private readonly unitVersions = new Map<string, CachedVersion<AdministrativeUnitVersion>>();
  private readonly procedureVersions = new Map<string, CachedVersion<ProcedureVersion>>();

  constructor(
    @InjectRepository(AdministrativeUnitVersion)
    private readonly units: Repository<AdministrativeUnitVersion>,
    @InjectRepository(ProcedureVersion) private readonly procedures: Repository<ProcedureVersion>,
    @InjectRepository(CalendarOverrideRecord)
    private readonly overrides: Repository<CalendarOverrideRecord>,
  ) {}

  async unitInForce(code: string, at: Date): Promise<AdministrativeUnitVersion | null> {
    const day = toVietnamLocal(at).date;
    return cachedVersion(this.unitVersions, `${code}|${day}`, () => this.loadUnit(code, day));
  }

  async procedureInForce(code: string, at: Date): Promise<ProcedureVersion | null> {
    const day = toVietnamLocal(at).date;
    return cachedVersion(this.procedureVersions, `${code}|${day}`, () => this.loadProcedure(code, day));
  }

  /** After an edit of units or procedures in this instance. */
  invalidateVersions(): void {
    this.unitVersions.clear();
    this.procedureVersions.clear();
  }

  private loadUnit(code: string, day: string): Promise<AdministrativeUnitVersion | null> {
    return this.units
      .createQueryBuilder('u')
      .where('u.code = :code', { code })
      .andWhere('u.valid_from <= :day AND (u.valid_to IS NULL OR u.valid_to > :day)', { day })
      .getOne();
  }

  private loadProcedure(code: string, day: string): Promise<ProcedureVersion | null> {
    return this.procedures
      .createQueryBuilder('p')
      .where('p.code = :code', { code })
      .andWhere('p.valid_from <= :day AND (p.valid_to IS NULL OR p.valid_to > :day)', { day })
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

/**
 * Every caller gets the same frozen value (frozen once, when loaded): an intake cannot change what
 * the next one reads, and nothing is copied per request.
 */
async function cachedVersion<T extends object>(
  cache: Map<string, CachedVersion<T>>,
  key: string,
  load: () => Promise<T | null>,
): Promise<T | null> {
  const now = Date.now();
  let entry = cache.get(key);
  if (!entry || now - entry.loadedAt >= VERSIONS_CACHE_MS) {
    const value = await load();
    entry = { value: value === null ? null : deepFreeze(value), loadedAt: now };
    if (cache.size >= VERSIONS_CACHE_MAX) cache.clear();
    cache.set(key, entry);
  }
  return entry.value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
