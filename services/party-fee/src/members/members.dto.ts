import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  BASIS_KINDS,
  type BasisKind,
  LEAVE_KINDS,
  type LeaveKind,
  MEMBER_CATEGORIES,
  type MemberCategory,
} from '../fee-rules/fee-rules';
import { PERIOD_PATTERN } from '../fee-rules/period';
import { MEMBER_STATUSES, type MemberStatus } from './member.entities';

/** The largest monthly amount any field takes (a basis of 10 billion VND a month is not a salary). */
export const MAX_MONTHLY_VND = 10_000_000_000;
const PERIOD_MESSAGE = 'must be a month YYYY-MM between 2000-01 and 2100-12';

export class BasisDto {
  @ApiProperty({ enum: BASIS_KINDS })
  @IsIn(BASIS_KINDS)
  kind!: BasisKind;

  /** Salary and allowances, social-insurance salary, pension (or, on leave, the benefit), integer VND. */
  @ApiProperty({ example: 8_500_000 })
  @IsInt()
  @Min(0)
  @Max(MAX_MONTHLY_VND)
  amountVnd!: number;

  @ApiPropertyOptional({ enum: LEAVE_KINDS, default: 'none' })
  @IsOptional()
  @IsIn(LEAVE_KINDS)
  leave?: LeaveKind;
}

export class RegisterMemberDto {
  /** The party card number (số thẻ đảng viên): stored encrypted, searchable by exact value. */
  @ApiProperty({ example: '01-123456', maxLength: 20 })
  @Matches(/^[0-9A-Za-z.-]{4,20}$/, { message: 'cardNumber must be 4–20 letters, digits, dots or hyphens' })
  cardNumber!: string;

  /** Stored encrypted; never on Kafka. */
  @ApiProperty({ example: 'Nguyễn Văn An', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  cellId!: string;

  @ApiProperty({ enum: MEMBER_CATEGORIES })
  @IsIn(MEMBER_CATEGORIES)
  category!: MemberCategory;

  /** The monthly basis from `feesFromPeriod` (required for salaried members and pensioners). */
  @ApiPropertyOptional({ type: BasisDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BasisDto)
  basis?: BasisDto;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  pastWorkingAge?: boolean;

  /** A higher monthly amount the member chooses to pay. */
  @ApiPropertyOptional({ example: 100_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MONTHLY_VND)
  voluntaryVnd?: number;

  /** The first month the member owes (default: the month of registration, Asia/Ho_Chi_Minh). */
  @ApiPropertyOptional({ example: '2026-01' })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: `feesFromPeriod ${PERIOD_MESSAGE}` })
  feesFromPeriod?: string;
}

/**
 * A member registered earlier on the platform (or in the system the city migrates from), brought over
 * with the time of registration: the city's audited path for back-dated registrations.
 */
export class ImportMemberDto extends RegisterMemberDto {
  /** When the member was registered: not in the future, at most `MAX_IMPORT_BACKDATE_DAYS` back. */
  @ApiProperty({ example: '2025-07-03T09:12:00+07:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  registeredAt!: string;
}

/** Most members in one import batch: well inside the 1 MiB body limit (a member is ~250 bytes). */
export const MAX_MEMBERS_PER_IMPORT_BATCH = 1_000;

/** Many back-dated registrations at once, imported all or none. */
export class ImportMemberBatchDto {
  @ApiProperty({ type: [ImportMemberDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MEMBERS_PER_IMPORT_BATCH)
  @ValidateNested({ each: true })
  @Type(() => ImportMemberDto)
  members!: ImportMemberDto[];
}

/** How far back an imported registration may go (the platform's first months). */
export const MAX_IMPORT_BACKDATE_DAYS = 90;

export class NewBasisDto extends BasisDto {
  /** The month from which this basis applies (a correction of a month already assessed re-assesses it). */
  @ApiProperty({ example: '2026-01' })
  @Matches(PERIOD_PATTERN, { message: `fromPeriod ${PERIOD_MESSAGE}` })
  fromPeriod!: string;

  @ApiProperty({ example: 'Salary raised by decision 12/QĐ', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ExemptionDto {
  @ApiProperty({ example: '2026-03' })
  @Matches(PERIOD_PATTERN, { message: `fromPeriod ${PERIOD_MESSAGE}` })
  fromPeriod!: string;

  /** At most 24 months after `fromPeriod`. */
  @ApiProperty({ example: '2026-08' })
  @Matches(PERIOD_PATTERN, { message: `toPeriod ${PERIOD_MESSAGE}` })
  toPeriod!: string;

  @ApiProperty({ example: 'Serious illness, decision of the cell of 2026-02-20', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class TransferDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  toCellId!: string;

  @ApiProperty({ example: 'Moved residence', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class StatusDto {
  @ApiProperty({ enum: MEMBER_STATUSES })
  @IsIn(MEMBER_STATUSES)
  status!: MemberStatus;

  @ApiProperty({ example: 'Transferred to the party organisation of another province', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class MemberSearchDto {
  @ApiPropertyOptional({ example: '01-123456' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z.-]{4,20}$/, { message: 'cardNumber must be 4–20 letters, digits, dots or hyphens' })
  cardNumber?: string;

  /** Exact name (any case, spacing and tone-mark composition). */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cellId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
