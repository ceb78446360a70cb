import { ApiProperty } from '@nestjs/swagger';
import { UNIT_CODE_PATTERN } from '@backbone/contracts';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { REJECTION_REASONS } from '../report/report-lifecycle';

export class RejectReportDto {
  @ApiProperty({ enum: REJECTION_REASONS })
  @IsIn(REJECTION_REASONS)
  reason!: (typeof REJECTION_REASONS)[number];
}

export class TransferReportDto {
  @ApiProperty({ example: '00103' })
  @Matches(UNIT_CODE_PATTERN, { message: 'toUnitCode must be a unit code' })
  toUnitCode!: string;
}

export class AssignReportDto {
  /** The officer's account id (token subject). */
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  assignee!: string;
}

export class AnswerReportDto {
  @ApiProperty({ maxLength: 8000 })
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  answer!: string;
}

export class RateReportDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;
}
