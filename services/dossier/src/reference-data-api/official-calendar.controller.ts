import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import { isSupportedYear, SUPPORTED_YEARS } from '@backbone/calendar';
import { type AuthenticatedUser, CurrentUser, Roles, ValidationProblemException } from '@backbone/platform';
import { Repository } from 'typeorm';
import {
  OfficialCalendarChangeRecord,
  OfficialCalendarYearRecord,
} from '../database/reference-data.entities';
import { OfficialCalendarWriter } from './official-calendar.writer';
import { OfficialYearDto } from './reference-data.dto';

const STAFF = ['officer', 'unit-head', 'signer', 'city-admin', 'auditor', 'service'] as const;

function yearOf(value: string): number {
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!isSupportedYear(year))
    throw new ValidationProblemException([
      { field: 'year', reason: `must be a year from ${SUPPORTED_YEARS.min} to ${SUPPORTED_YEARS.max}` },
    ]);
  return year;
}

/**
 * The official calendar (docs/adr/0008): the one place where the Government's days off and swapped
 * working days are entered, a whole year per request; every other service receives each version
 * through `calendar.official-year-set.v1`.
 */
@ApiTags('reference-data')
@Controller('calendar/official-years')
export class OfficialCalendarController {
  constructor(
    @InjectRepository(OfficialCalendarYearRecord)
    private readonly years: Repository<OfficialCalendarYearRecord>,
    @InjectRepository(OfficialCalendarChangeRecord)
    private readonly changes: Repository<OfficialCalendarChangeRecord>,
    private readonly writer: OfficialCalendarWriter,
  ) {}

  @Get()
  @Roles(...STAFF)
  list() {
    return this.years.find({
      select: { year: true, version: true, decisionNumber: true, updatedAt: true, updatedBy: true },
      order: { year: 'ASC' },
    });
  }

  @Get(':year')
  @Roles(...STAFF)
  async get(@Param('year') value: string) {
    const year = yearOf(value);
    const record = await this.years.findOneBy({ year });
    if (!record) throw new NotFoundException(`No official decision entered for ${year}`);
    return record;
  }

  /** Every change of the year, oldest first: who, when, old and new. */
  @Get(':year/history')
  @Roles('city-admin', 'auditor')
  history(@Param('year') value: string) {
    return this.changes.find({ where: { year: yearOf(value) }, order: { version: 'ASC' } });
  }

  /**
   * Enters (or replaces) a year's decision: the complete list of the year's official days with the
   * decision's number. All or nothing: any bad day is a 400 naming it, and nothing is stored.
   */
  @Put(':year')
  @Roles('city-admin')
  put(@Param('year') value: string, @Body() input: OfficialYearDto, @CurrentUser() user: AuthenticatedUser) {
    const year = yearOf(value);
    return this.writer.setYear(
      {
        year,
        decisionNumber: input.decisionNumber,
        days: input.days.map((day) => ({
          date: day.date,
          kind: day.kind,
          reason: day.reason,
          source: day.source ?? input.decisionNumber,
        })),
      },
      user.subject,
    );
  }
}
