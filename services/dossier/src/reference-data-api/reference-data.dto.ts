import { IsBoundedLocalDate } from '@backbone/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { CALENDAR_OVERRIDE_KINDS, MAX_OFFICIAL_DAYS_PER_YEAR } from '@backbone/calendar';
import { ONLINE_LEVELS, PROCEDURE_LEVELS, UNIT_TYPES } from '../reference-data';

export class AtDateQuery {
  /** Civil date (Asia/Ho_Chi_Minh); default today. */
  @IsOptional()
  @IsBoundedLocalDate()
  at?: string;
}

export class UnitVersionDto {
  @IsString()
  @Length(1, 300)
  name!: string;

  @IsIn(UNIT_TYPES)
  type!: (typeof UNIT_TYPES)[number];

  /** From this civil date the new version is in force; the previous one closes the day before. */
  @IsBoundedLocalDate()
  validFrom!: string;
}

export class CloseUnitDto {
  /** First civil date on which the unit no longer exists. */
  @IsBoundedLocalDate()
  validTo!: string;
}

export class StatutoryTimeDto {
  @IsIn(['working-days', 'working-hours', 'same-day'])
  unit!: 'working-days' | 'working-hours' | 'same-day';

  @IsOptional()
  @IsNumber()
  value?: number;
}

export class ProcedureVersionDto {
  @IsString()
  @Length(1, 500)
  name!: string;

  @IsString()
  @Length(1, 200)
  field!: string;

  @IsIn(PROCEDURE_LEVELS)
  level!: (typeof PROCEDURE_LEVELS)[number];

  @ValidateNested()
  @Type(() => StatutoryTimeDto)
  statutoryTime!: StatutoryTimeDto;

  @IsIn(ONLINE_LEVELS)
  onlineLevel!: (typeof ONLINE_LEVELS)[number];

  @IsInt()
  @Min(0)
  feeVnd!: number;

  @IsBoolean()
  requiresSignature!: boolean;

  @IsOptional()
  @IsBoolean()
  codeVerified?: boolean;

  @IsBoundedLocalDate()
  validFrom!: string;
}

/** The CSV travels as a JSON string so the platform's JSON-only body parsing, limits and idempotency apply. */
export class ImportProceduresDto {
  /** The file's text, format in src/reference-data/README.md. */
  @IsString()
  @Length(1, 5_000_000)
  csv!: string;

  @IsBoundedLocalDate()
  validFrom!: string;
}

export class CalendarOverrideDto {
  @IsIn(CALENDAR_OVERRIDE_KINDS)
  kind!: (typeof CALENDAR_OVERRIDE_KINDS)[number];

  @IsString()
  @Length(1, 1000)
  reason!: string;

  /** The official decision (number, date, where published). */
  @IsString()
  @Length(1, 1000)
  source!: string;
}

export class OverridesQuery {
  @IsOptional()
  /** A year in the supported range (2000–2100). */
  @Matches(/^(20\d\d|2100)$/, { message: 'year must be from 2000 to 2100' })
  year?: string;
}

/** One official day of a year's decision. */
export class OfficialDayDto {
  @IsBoundedLocalDate()
  date!: string;

  @IsIn(CALENDAR_OVERRIDE_KINDS)
  kind!: (typeof CALENDAR_OVERRIDE_KINDS)[number];

  @IsString()
  @Length(1, 1000)
  reason!: string;

  /** Where the day is decided; the decision number when omitted. */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  source?: string;
}

/**
 * A year's official decision, entered whole: every day off and swapped working day of the year
 * with the decision's number. All or nothing: one bad day and nothing is stored.
 */
export class OfficialYearDto {
  /** Number and issuer of the decision, e.g. '9441/TB-BNV'. */
  @IsString()
  @Length(1, 200)
  decisionNumber!: string;

  /** Every official day of the year (at most MAX_OFFICIAL_DAYS_PER_YEAR); an empty list means "the rule only". */
  @IsArray()
  @ArrayMaxSize(MAX_OFFICIAL_DAYS_PER_YEAR)
  @ValidateNested({ each: true })
  @Type(() => OfficialDayDto)
  days!: OfficialDayDto[];
}
