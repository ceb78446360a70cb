import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { RANKABLE_METRICS, type RankableMetric } from '../queries/figures';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class PeriodQuery {
  /** First Hanoi day of the period (inclusive), `YYYY-MM-DD`. */
  @Matches(DAY, { message: 'from must be a day YYYY-MM-DD' })
  from!: string;

  /** Last Hanoi day of the period (inclusive), `YYYY-MM-DD`. */
  @Matches(DAY, { message: 'to must be a day YYYY-MM-DD' })
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
  @Matches(/^(\d{5}|[A-Z][A-Z0-9-]{1,31})$/)
  unit?: string;
}
