import { Injectable } from '@nestjs/common';
import { hanoiDayOf } from '@backbone/calendar';
import { DataSource } from 'typeorm';
import type { HandlingLimit } from '../report/report-sla';
import { inForceOn } from './effective-dated';
import { HandlingLimitVersion, ReportCategoryVersion } from './taxonomy.entities';

const CACHE_MS = 10_000;

/** The taxonomy and handling limits as data, read with a short cache (the city admin edits them rarely). */
@Injectable()
export class TaxonomyService {
  private categories: { rows: ReportCategoryVersion[]; at: number } | undefined;
  private limits: { rows: HandlingLimit[]; at: number } | undefined;

  constructor(private readonly dataSource: DataSource) {}

  invalidate(): void {
    this.categories = undefined;
    this.limits = undefined;
  }

  async allCategoryVersions(): Promise<ReportCategoryVersion[]> {
    if (this.categories && Date.now() - this.categories.at < CACHE_MS) return this.categories.rows;
    const rows = await this.dataSource
      .getRepository(ReportCategoryVersion)
      .find({ order: { code: 'ASC', validFrom: 'ASC' } });
    this.categories = { rows, at: Date.now() };
    return rows;
  }

  /** The entries in force on a Hanoi day (default: today). */
  async categoriesOn(day = hanoiDayOf(new Date())): Promise<ReportCategoryVersion[]> {
    const rows = await this.allCategoryVersions();
    const codes = [...new Set(rows.map((row) => row.code))];
    return codes
      .map((code) =>
        inForceOn(
          rows.filter((row) => row.code === code),
          day,
        ),
      )
      .filter((row): row is ReportCategoryVersion => row !== undefined);
  }

  async categoryOn(code: string, day = hanoiDayOf(new Date())): Promise<ReportCategoryVersion | undefined> {
    const rows = await this.allCategoryVersions();
    return inForceOn(
      rows.filter((row) => row.code === code),
      day,
    );
  }

  async handlingLimits(): Promise<HandlingLimit[]> {
    if (this.limits && Date.now() - this.limits.at < CACHE_MS) return this.limits.rows;
    const rows = await this.dataSource
      .getRepository(HandlingLimitVersion)
      .find({ order: { level: 'ASC', validFrom: 'ASC' } });
    const limits = rows.map((row) => ({
      level: row.level,
      validFrom: row.validFrom,
      validTo: row.validTo,
      workingHours: row.workingHours,
    }));
    this.limits = { rows: limits, at: Date.now() };
    return limits;
  }
}
