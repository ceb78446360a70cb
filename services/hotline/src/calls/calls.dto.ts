import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPORT_CATEGORIES, type ReportCategory } from '@backbone/contracts';
import { IsBoundedInstant } from '@backbone/platform';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { CALL_DISPOSITIONS, type CallDisposition } from './call.entity';

export const PHONE_PATTERN = /^\+?[0-9 .()-]{3,24}$/;

/** What the PBX connector posts when a call starts and when it ends (the same call, by uniqueId). */
export class PbxCallEventDto {
  @ApiProperty({ enum: ['started', 'ended'] })
  @IsIn(['started', 'ended'])
  event!: 'started' | 'ended';

  /** The PBX's id of the call (Asterisk `uniqueid`): sending it again changes nothing. */
  @ApiProperty({ example: '1752631262.1042', maxLength: 100 })
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'uniqueId must be 1–100 letters, digits, . _ : -' })
  uniqueId!: string;

  @ApiProperty({ example: '0912345678' })
  @Matches(PHONE_PATTERN, { message: 'callerNumber must be a phone number' })
  callerNumber!: string;

  @ApiPropertyOptional({ example: '1022' })
  @IsOptional()
  @Matches(/^[0-9]{3,10}$/, { message: 'line must be the number dialled' })
  line?: string;

  @ApiProperty({ example: '2026-07-01T08:00:00+07:00' })
  @IsBoundedInstant()
  startedAt!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoundedInstant()
  answeredAt?: string;

  @ApiPropertyOptional()
  @ValidateIf((dto: PbxCallEventDto) => dto.event === 'ended' || dto.endedAt !== undefined)
  @IsBoundedInstant()
  endedAt?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 86400 })
  @ValidateIf((dto: PbxCallEventDto) => dto.event === 'ended' || dto.durationSeconds !== undefined)
  @IsInt()
  @Min(0)
  @Max(86_400)
  durationSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  billableSeconds?: number;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  queue?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agent?: string;

  @ApiPropertyOptional({ enum: CALL_DISPOSITIONS })
  @ValidateIf((dto: PbxCallEventDto) => dto.event === 'ended' || dto.disposition !== undefined)
  @IsIn(CALL_DISPOSITIONS)
  disposition?: CallDisposition;
}

export class CdrImportQuery {
  /** How the file's times are written: the PBX's local time (default) or UTC (`usegmtime=yes`). */
  @ApiPropertyOptional({ enum: ['local', 'utc'] })
  @IsOptional()
  @IsIn(['local', 'utc'])
  timeZone?: 'local' | 'utc';
}

export class AnswerInquiryDto {
  @ApiProperty({ enum: REPORT_CATEGORIES })
  @IsIn(REPORT_CATEGORIES)
  category!: ReportCategory;

  /** What the agent told the caller (kept in the database, never on Kafka). */
  @ApiProperty({ maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  answer!: string;
}
