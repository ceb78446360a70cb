import { UNIT_CODE_PATTERN } from '@backbone/contracts';
import { IsBoundedLocalDate } from '@backbone/platform';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { RANKABLE_METRICS, type RankableMetric } from '../queries/figures';

/** Longest period a report covers (about ten years). */
export const MAX_PERIOD_DAYS = 3660;
export { MAX_SERIES_DAYS } from '../queries/reporting-queries';

export class PeriodQuery {
  /** First Hanoi day of the period (inclusive), `YYYY-MM-DD`. */
  @IsBoundedLocalDate()
  from!: string;

  /** Last Hanoi day of the period (inclusive), `YYYY-MM-DD`. */
  @IsBoundedLocalDate()
  to!: string;

  /** `json` (default) or `csv`. */
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class RankingQuery extends PeriodQuery {
  @IsIn(Object.keys(RANKABLE_METRICS))
  metric!: RankableMetric;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class SeriesQuery extends PeriodQuery {
  /** One unit; absent = the whole city (city-admin and auditor) or the caller's units. */
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'unit must be a unit code such as 00070 or SO-TP' })
  unit?: string;
}
