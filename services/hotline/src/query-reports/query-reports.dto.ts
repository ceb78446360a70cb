import { ApiPropertyOptional } from '@nestjs/swagger';
import { REPORT_CHANNELS, type ReportChannel, UNIT_CODE_PATTERN } from '@backbone/contracts';
import { IsBoundedInstant, IsBoundedLocalDate } from '@backbone/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { REPORT_STATUSES, type ReportStatus } from '../report/report-lifecycle';

export class ListReportsQuery {
  @ApiPropertyOptional({ enum: REPORT_STATUSES })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;

  @ApiPropertyOptional({ enum: REPORT_CHANNELS })
  @IsOptional()
  @IsIn(REPORT_CHANNELS)
  channel?: ReportChannel;

  @ApiPropertyOptional({ example: '00070' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN)
  unitCode?: string;

  @ApiPropertyOptional({ description: 'submitted at or after (instant)' })
  @IsOptional()
  @IsBoundedInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'submitted before (instant)' })
  @IsOptional()
  @IsBoundedInstant()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  offset?: number;
}

/** The counts the reporting service reconciles with, for Hanoi days `from`..`to` (inclusive). */
export class StatsQuery {
  @IsBoundedLocalDate()
  from!: string;

  @IsBoundedLocalDate()
  to!: string;

  @IsOptional()
  @Matches(UNIT_CODE_PATTERN)
  unit?: string;
}
