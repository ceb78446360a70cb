import { UNIT_CODE_PATTERN } from '@backbone/contracts';
import {
  assertBoundedDayRange,
  type AuthenticatedUser,
  canAccessUnit,
  CurrentUser,
  unitScope,
} from '@backbone/platform';
import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Param,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Freshness } from '../freshness/freshness';
import { fifteenDayReportFrom, flatten, RANKABLE_METRICS, toCsv } from '../queries/figures';
import type { Period, UnitFilter } from '../queries/reporting-queries';
import { HANOI_UNIT_CODES, unitName } from '../units/units';
import { MAX_PERIOD_DAYS, MAX_SERIES_DAYS, PeriodQuery, RankingQuery, SeriesQuery } from './reports.dto';
import { ReportsService } from './reports.service';

type CsvRow = Record<string, string | number | null>;

/**
 * Reporting API. City-wide figures need city-admin or auditor (403 otherwise); a unit's figures
 * answer 404 to a caller who does not serve that unit, like any other unit-owned record.
 */
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('city/summary')
  async citySummary(
    @Query() query: PeriodQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    assertCityScope(user);
    const period = periodOf(query);
    const { data, freshness } = await this.reports.read((schema) =>
      this.reports.queries.figures(schema, period, null),
    );
    return respond(reply, query, { scope: 'city', period, freshness, figures: data }, () => [flatten(data)]);
  }

  @Get('city/fifteen-day')
  async fifteenDay(
    @Query() query: PeriodQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    assertCityScope(user);
    const period = periodOf(query);
    const { data, freshness } = await this.reports.read((schema) =>
      this.reports.queries.figures(schema, period, null),
    );
    const report = fifteenDayReportFrom(data);
    return respond(reply, query, { scope: 'city', period, freshness, report }, () => [report]);
  }

  @Get('units')
  async perUnit(
    @Query() query: PeriodQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const period = periodOf(query);
    const units = unitFilterOf(user);
    const { data, freshness } = await this.reports.read((schema) =>
      this.reports.queries.figuresByUnit(schema, period, units, HANOI_UNIT_CODES),
    );
    const rows = [...data.entries()].map(([unitCode, figures]) => ({
      unitCode,
      unitName: unitName(unitCode),
      figures,
    }));
    return respond(
      reply,
      query,
      { scope: units === null ? 'city' : 'units', period, freshness, units: rows },
      () => rows.map((row) => ({ unitCode: row.unitCode, unitName: row.unitName, ...flatten(row.figures) })),
    );
  }

  @Get('units/:unitCode/summary')
  async unitSummary(
    @Param('unitCode') unitCode: string,
    @Query() query: PeriodQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    assertUnitCodeWellFormed(unitCode);
    assertUnitVisible(user, unitCode);
    const period = periodOf(query);
    await this.assertUnitKnown(unitCode);
    const { data, freshness } = await this.reports.read((schema) =>
      this.reports.queries.figures(schema, period, [unitCode]),
    );
    return respond(
      reply,
      query,
      { scope: 'unit', unitCode, unitName: unitName(unitCode), period, freshness, figures: data },
      () => [{ unitCode, ...flatten(data) }],
    );
  }

  @Get('indicators')
  async indicators(
    @Query() query: PeriodQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const period = periodOf(query);
    const units = unitFilterOf(user);
    const { data, freshness } = await this.reports.read(async (schema) => ({
      total: await this.reports.queries.figures(schema, period, units),
      byUnit: await this.reports.queries.figuresByUnit(schema, period, units, HANOI_UNIT_CODES),
    }));
    const perUnit = [...data.byUnit.entries()].map(([unitCode, figures]) => ({
      unitCode,
      unitName: unitName(unitCode),
      ...figures.indicators,
    }));
    const total = { unitCode: units === null ? 'city' : 'total', unitName: '', ...data.total.indicators };
    return respond(
      reply,
      query,
      { scope: units === null ? 'city' : 'units', period, freshness, total, units: perUnit },
      () => [total, ...perUnit],
    );
  }

  @Get('ranking')
  async ranking(
    @Query() query: RankingQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // Ranking shows every unit's figure: city scope only.
    assertCityScope(user);
    const period = periodOf(query);
    const pick = RANKABLE_METRICS[query.metric];
    const { data, freshness } = await this.reports.read((schema) =>
      this.reports.queries.figuresByUnit(schema, period, null, HANOI_UNIT_CODES),
    );
    const direction = query.order === 'asc' ? 1 : -1;
    const ranked = [...data.entries()]
      .map(([unitCode, figures]) => ({ unitCode, unitName: unitName(unitCode), value: pick(figures) }))
      // Units without a value (no dossiers: a rate is undefined) go last whatever the order.
      .sort((a, b) =>
        a.value === null
          ? b.value === null
            ? a.unitCode.localeCompare(b.unitCode)
            : 1
          : b.value === null
            ? -1
            : direction * (a.value - b.value) || a.unitCode.localeCompare(b.unitCode),
      )
      .slice(0, query.limit ?? 1000)
      .map((row, index) => ({ rank: index + 1, ...row }));
    return respond(
      reply,
      query,
      { scope: 'city', period, metric: query.metric, freshness, ranking: ranked },
      () => ranked,
    );
  }

  @Get('series/daily')
  async dailySeries(
    @Query() query: SeriesQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const period = periodOf(query, MAX_SERIES_DAYS);
    let units: UnitFilter;
    if (query.unit) {
      assertUnitVisible(user, query.unit);
      await this.assertUnitKnown(query.unit);
      units = [query.unit];
    } else {
      units = unitFilterOf(user);
    }
    const { data, freshness } = await this.reports.read((schema) =>
      this.reports.queries.dailySeries(schema, period, units),
    );
    return respond(
      reply,
      query,
      { scope: query.unit ? 'unit' : units === null ? 'city' : 'units', period, freshness, series: data },
      () => data.map((point) => ({ day: point.day, ...flatten(point.figures) })),
    );
  }

  /**
   * 404 for a unit nobody knows: not one of Hanoi's communes and wards and without any figures (a
   * city department has figures once it has dossiers). Never zeros under an echoed code.
   */
  private async assertUnitKnown(unitCode: string): Promise<void> {
    if (HANOI_UNIT_CODES.includes(unitCode)) return;
    const { data } = await this.reports.read((schema) =>
      this.reports.queries.unitHasFigures(schema, unitCode),
    );
    if (!data) throw new NotFoundException(`No unit ${unitCode}`);
  }
}

/** 400 for a code that cannot be a unit code (`00070' OR 1=1--`), before anything else. */
function assertUnitCodeWellFormed(unitCode: string): void {
  if (!UNIT_CODE_PATTERN.test(unitCode))
    throw new BadRequestException('unitCode must be a unit code such as 00070 or SO-TP');
}

function periodOf(query: PeriodQuery, maxDays = MAX_PERIOD_DAYS): Period {
  assertBoundedDayRange(query.from, query.to, maxDays);
  return { from: query.from, to: query.to };
}

function assertCityScope(user: AuthenticatedUser): void {
  if (!unitScope(user).allUnits)
    throw new ForbiddenException('City figures need the city-admin or auditor role');
}

function assertUnitVisible(user: AuthenticatedUser, unitCode: string): void {
  // 404 as for any record of another unit: whether the unit has figures reveals nothing.
  if (!canAccessUnit(user, unitCode)) throw new NotFoundException(`No figures for unit ${unitCode}`);
}

function unitFilterOf(user: AuthenticatedUser): UnitFilter {
  const scope = unitScope(user);
  return scope.allUnits ? null : scope.unitCodes;
}

/** JSON by default; CSV when asked, with the freshness in headers. */
function respond<T extends { freshness: Freshness }>(
  reply: FastifyReply,
  query: PeriodQuery,
  body: T,
  csvRows: () => CsvRow[],
) {
  reply.header('x-complete-up-to', body.freshness.completeUpTo ?? '');
  reply.header('x-consumer-lag', String(body.freshness.consumerLag.messages ?? ''));
  if (query.format !== 'csv') return body;
  reply.header('content-type', 'text/csv; charset=utf-8');
  return toCsv(csvRows());
}
